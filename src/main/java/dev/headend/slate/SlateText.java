package dev.headend.slate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The texts a slate can draw, each with the fixed file FFmpeg's drawtext reads it from.
 *
 * <p>Invariant: user text travels only through these files (UTF-8, relative to FFmpeg's working
 * directory), and drawtext reads them with {@code expansion=none}, so no character of it is
 * ever interpreted, neither by the filter-graph parser nor by drawtext's {@code %{...}} and
 * backslash expansion. File names and styles are constants.
 */
enum SlateText {
    TITLE("title.txt", "fontsize=h/12:x=(w-text_w)/2:y=h/2-text_h-h/40"),
    SUBTITLE("subtitle.txt", "fontsize=h/24:x=(w-text_w)/2:y=h/2+h/40"),
    CHANNEL_LINE("channel.txt", "fontsize=h/28:x=w/24:y=h/18");

    private final String file;
    private final String style;

    SlateText(String file, String style) {
        this.file = file;
        this.style = style;
    }

    String text(SlateLook look) {
        return switch (this) {
            case TITLE -> look.title();
            case SUBTITLE -> look.subtitle();
            case CHANNEL_LINE -> look.channelLine();
        };
    }

    /** The drawtext filter for this text; {@code boxed} puts it on a dark box. */
    String drawtext(boolean boxed) {
        return "drawtext=textfile=" + file + ":expansion=none:fontcolor=white:" + style
                + (boxed ? ":box=1:boxcolor=black@0.6:boxborderw=12" : "");
    }

    /** Writes every non-empty text of {@code look} to its file in {@code directory}. */
    static void writeAll(Path directory, SlateLook look) throws IOException {
        for (SlateText t : values()) {
            if (!t.text(look).isEmpty()) {
                Files.writeString(directory.resolve(t.file), t.text(look), StandardCharsets.UTF_8);
            }
        }
    }
}
