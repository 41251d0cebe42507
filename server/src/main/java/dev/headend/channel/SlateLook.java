package dev.headend.channel;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a slate shows and plays.
 *
 * <p>Invariants: texts are non-null (empty means "not drawn"); they reach FFmpeg only through
 * files, never through its arguments, so they may hold any character. The background is
 * {@code #RRGGBB}, the only user value that enters the filter graph. An image is present
 * exactly when the visual is {@link Visual#STATIC}.
 *
 * @param background fill colour of the TEXT and SLATE visuals and of the bars around a STATIC
 *     image whose aspect ratio differs from the output's
 * @param image the picture of a STATIC slate, any format FFmpeg's image2 reader decodes
 * @param status what the status line (time, return time) shows; its text changes while the
 *     slate plays, so it is drawn by clips made for each line (see the slate package)
 */
public record SlateLook(
        Visual visual,
        Audio audio,
        String title,
        String subtitle,
        String channelLine,
        String background,
        Optional<Path> image,
        SlateStatus status) {

    public static final String DEFAULT_TITLE = "We'll be right back";
    public static final String DEFAULT_BACKGROUND = "#101820";

    private static final Pattern COLOUR = Pattern.compile("#[0-9A-Fa-f]{6}");

    /** The picture. */
    public enum Visual {
        /** Title, subtitle and channel line over the background colour. */
        TEXT,
        /** An image file scaled into the frame; of the texts, only the status line is drawn (boxed). */
        STATIC,
        /** SMPTE HD colour bars with the texts on dark boxes. */
        TEST_PATTERN,
        /** The background colour with a dark band across the middle behind the texts. */
        SLATE
    }

    /** The sound; every mode loops seamlessly with the clip. */
    public enum Audio {
        SILENT,
        /** A continuous 440 Hz tone. */
        SINE,
        /** Quiet white noise. */
        WHITE_NOISE,
        /** A 1 kHz beep of 0.2 s at the start of every second. */
        BEEP
    }

    public SlateLook {
        Objects.requireNonNull(visual, "visual");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(subtitle, "subtitle");
        Objects.requireNonNull(channelLine, "channelLine");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(status, "status");
        if (!isColour(background)) {
            throw new IllegalArgumentException("background must be #RRGGBB, got " + background);
        }
        if (image.isPresent() != (visual == Visual.STATIC)) {
            throw new IllegalArgumentException("an image is required by, and only by, the STATIC visual");
        }
    }

    /** True for a colour in the {@code #RRGGBB} form a background takes. */
    public static boolean isColour(String text) {
        return text != null && COLOUR.matcher(text).matches();
    }

    /** A slate without image, with the default title and background, no other text and no status line. */
    public static SlateLook of(Visual visual, Audio audio) {
        return new SlateLook(visual, audio, DEFAULT_TITLE, "", "", DEFAULT_BACKGROUND, Optional.empty(),
                SlateStatus.OFF);
    }

    /** A STATIC slate showing {@code image}, without status line. */
    public static SlateLook image(Path image, Audio audio) {
        return new SlateLook(Visual.STATIC, audio, DEFAULT_TITLE, "", "", DEFAULT_BACKGROUND, Optional.of(image),
                SlateStatus.OFF);
    }

    public SlateLook withTitle(String text) {
        return new SlateLook(visual, audio, text, subtitle, channelLine, background, image, status);
    }

    public SlateLook withSubtitle(String text) {
        return new SlateLook(visual, audio, title, text, channelLine, background, image, status);
    }

    public SlateLook withChannelLine(String text) {
        return new SlateLook(visual, audio, title, subtitle, text, background, image, status);
    }

    public SlateLook withBackground(String colour) {
        return new SlateLook(visual, audio, title, subtitle, channelLine, colour, image, status);
    }

    public SlateLook withStatus(SlateStatus line) {
        return new SlateLook(visual, audio, title, subtitle, channelLine, background, image, line);
    }
}
