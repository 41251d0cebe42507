package dev.headend.web.iptv;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An HDHomeRun device id: 32 bits shown as 8 upper-case hex digits, the last being a check
 * digit that makes the XOR of the 8 nibbles zero once the odd-placed ones (first, third, fifth,
 * seventh) are passed through {@link #TABLE} (libhdhomerun's {@code
 * hdhomerun_discover_validate_device_id}; Plex refuses an id that fails it). Derived from the
 * install id, so one install keeps its id across restarts and two installs do not share one.
 */
record DeviceId(int value) {
    private static final int[] TABLE = {0xA, 0x5, 0xF, 0x6, 0x7, 0xC, 0x1, 0xB, 0x9, 0x2, 0x8, 0xD, 0x4, 0x3, 0xE, 0x0};

    DeviceId {
        if (!valid(value)) {
            throw new IllegalArgumentException("check digit wrong in " + hex(value));
        }
    }

    /** The device id of an install: the first 28 bits of the install id's SHA-256, and the check digit. */
    static DeviceId of(String installId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(installId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        int high = ((digest[0] & 0xFF) << 24 | (digest[1] & 0xFF) << 16 | (digest[2] & 0xFF) << 8 | digest[3] & 0xF0);
        return new DeviceId(high | checkDigit(high));
    }

    /** The check digit for the first seven nibbles of {@code value} (its last nibble is ignored). */
    static int checkDigit(int value) {
        int sum = TABLE[(value >>> 4) & 0xF];
        for (int shift = 28; shift >= 12; shift -= 8) {
            sum ^= TABLE[(value >>> shift) & 0xF] ^ ((value >>> (shift - 4)) & 0xF);
        }
        return sum;
    }

    /** True when the last nibble of {@code value} is its check digit. */
    static boolean valid(int value) {
        return checkDigit(value) == (value & 0xF);
    }

    /** The 8 upper-case hex digits. */
    String hex() {
        return hex(value);
    }

    private static String hex(int value) {
        return HexFormat.of().toHexDigits(value).toUpperCase(Locale.ROOT);
    }
}
