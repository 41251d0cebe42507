package dev.headend.relay;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decides whether a message from a publisher is an image frame: a binary message starting with a
 * JPEG, PNG or WebP signature, or a text {@code data:image/...;base64,...} URL whose decoded
 * bytes are one. Reads the picture's size from its header when it can (0 when it cannot).
 * Pure and thread-safe.
 */
public final class FrameCheck {
    private static final String DATA_URL = "data:image/";
    private static final String BASE64 = ";base64,";

    /** The verdict on one message. */
    public sealed interface Result {
        /** A frame to relay. */
        record Image(String kind, byte[] bytes, int width, int height) implements Result {}

        /** A message skipped, with the reason logged and told to the publisher. */
        record Invalid(String reason) implements Result {}
    }

    private FrameCheck() {}

    /** A binary message of {@code size} bytes that was too large to be kept. */
    public static Result.Invalid tooLarge(long size, int maxBytes) {
        return new Result.Invalid("frame of " + size + " bytes is over the limit of " + maxBytes + " bytes");
    }

    public static Result binary(byte[] bytes, int maxBytes) {
        if (bytes.length == 0) {
            return new Result.Invalid("empty frame");
        }
        if (bytes.length > maxBytes) {
            return tooLarge(bytes.length, maxBytes);
        }
        String kind = kind(bytes);
        if (kind == null) {
            return new Result.Invalid("no image signature (JPEG, PNG or WebP) in a frame of " + bytes.length
                    + " bytes");
        }
        int[] size = size(kind, bytes);
        return new Result.Image(kind, bytes, size[0], size[1]);
    }

    /** A text frame: a data URL of an image, at most {@code maxBytes} once decoded. */
    public static Result dataUrl(String text, int maxBytes) {
        if (text.isEmpty()) {
            return new Result.Invalid("empty frame");
        }
        int comma = text.indexOf(BASE64);
        if (!text.regionMatches(true, 0, DATA_URL, 0, DATA_URL.length()) || comma < 0 || comma > 64) {
            return new Result.Invalid("text frame is not a data:image/...;base64, URL");
        }
        String payload = text.substring(comma + BASE64.length());
        if (payload.length() / 4L * 3 > maxBytes + 2L) {
            return tooLarge(payload.length() / 4L * 3, maxBytes);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload.strip());
        } catch (IllegalArgumentException e) {
            return new Result.Invalid("data URL is not valid base64");
        }
        return binary(bytes, maxBytes);
    }

    private static String kind(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0d
                && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
            return "png";
        }
        if (b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return "webp";
        }
        return null;
    }

    /** Width and height from the header, {0, 0} when it cannot be read. */
    private static int[] size(String kind, byte[] b) {
        return switch (kind) {
            case "png" -> b.length >= 24 ? new int[] {int32(b, 16), int32(b, 20)} : new int[2];
            case "jpeg" -> jpegSize(b);
            default -> webpSize(b);
        };
    }

    private static int[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xff) != 0xff) {
                return new int[2];
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof) {
                int height = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                int width = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                return new int[] {width, height};
            }
            i += 2 + length;
        }
        return new int[2];
    }

    private static int[] webpSize(byte[] b) {
        if (b.length >= 30 && ascii(b, 12, "VP8 ")) {
            return new int[] {uint16le(b, 26) & 0x3fff, uint16le(b, 28) & 0x3fff};
        }
        if (b.length >= 25 && ascii(b, 12, "VP8L")) {
            int bits = (b[21] & 0xff) | (b[22] & 0xff) << 8 | (b[23] & 0xff) << 16 | (b[24] & 0xff) << 24;
            return new int[] {(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1};
        }
        if (b.length >= 30 && ascii(b, 12, "VP8X")) {
            return new int[] {uint24le(b, 24) + 1, uint24le(b, 27) + 1};
        }
        return new int[2];
    }

    private static boolean ascii(byte[] b, int at, String text) {
        return new String(b, at, text.length(), StandardCharsets.ISO_8859_1).equals(text);
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static int uint16le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int uint24le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
    }
}
