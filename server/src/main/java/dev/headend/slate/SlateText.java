package dev.headend.slate;

import dev.headend.channel.SlateLook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts a slate can draw, each with the fixed file FFmpeg's drawtext reads it from.
 *
 * <p>Invariant: user text travels only through these files (UTF-8, relative to FFmpeg's working
 * directory), and drawtext reads them with {@code expansion=none}, so no character of it is
 * ever interpreted, neither by the filter-graph parser nor by drawtext's {@code %{...}} and
 * backslash expansion. File names and styles are constants. The status line (time and return
 * time, see {@link SlateStatus}) travels the same way, though it holds no user text.
 */
enum SlateText {
    TITLE("title.txt", "fontsize=h/12:x=(w-text_w)/2:y=h/2-text_h-h/40"),
    SUBTITLE("subtitle.txt", "fontsize=h/24:x=(w-text_w)/2:y=h/2+h/40"),
    CHANNEL_LINE("channel.txt", "fontsize=h/28:x=w/24:y=h/18"),
    STATUS("status.txt", "fontsize=h/20:x=(w-text_w)/2:y=h-h/8-text_h/2");

    private final String file;
    private final String style;

    SlateText(String file, String style) {
        this.file = file;
        this.style = style;
    }

    private String text(SlateLook look, String status) {
        return switch (this) {
            case TITLE -> look.title();
            case SUBTITLE -> look.subtitle();
            case CHANNEL_LINE -> look.channelLine();
            case STATUS -> status;
        };
    }

    /** The drawtext filter for this text; {@code boxed} puts it on a dark box. */
    String drawtext(boolean boxed) {
        return "drawtext=textfile=" + file + ":expansion=none:fontcolor=white:" + style
                + (boxed ? ":box=1:boxcolor=black@0.75:boxborderw=12" : "");
    }

    /**
     * The texts drawn on a slate of {@code look} showing the status line {@code status}: the
     * non-empty ones, and on a STATIC slate (an image that speaks for itself) only the status.
     */
    static List<SlateText> drawn(SlateLook look, String status) {
        List<SlateText> drawn = new ArrayList<>();
        for (SlateText t : values()) {
            boolean allowed = look.visual() != SlateLook.Visual.STATIC || t == STATUS;
            if (allowed && !t.text(look, status).isEmpty()) {
                drawn.add(t);
            }
        }
        return drawn;
    }

    /** Writes every text drawn for {@code look} and {@code status} to its file in {@code directory}. */
    static void writeAll(Path directory, SlateLook look, String status) throws IOException {
        for (SlateText t : drawn(look, status)) {
            Files.writeString(directory.resolve(t.file), t.text(look, status), StandardCharsets.UTF_8);
        }
    }
}
