package dev.headend.security;

import java.util.regex.Pattern;

/**
 * The one masking function for text that may carry a source URL: error messages, FFmpeg's log
 * lines, log lines, API fields and events all pass through {@link #mask} before anyone sees
 * them.
 *
 * <p>What it hides: the user info of any {@code scheme://user:password@host} (also when the
 * password holds a decoded {@code @}), and the values of query or form parameters whose name
 * says they carry a credential ({@code password}, {@code pass}, {@code pwd}, {@code token},
 * {@code key}, {@code auth}, {@code sig}, {@code secret}, ... also inside longer names such as
 * {@code api_key} or {@code auth_token}), and the playback token of the IPTV outputs' paths
 * ({@code /s/TOKEN/...}). Masking errs on the side of hiding: a parameter named
 * {@code monkey} is masked too.
 */
public final class Secrets {
    /** What a hidden value is replaced with. */
    public static final String MASK = "***";

    /** {@code scheme://} then user info up to the last {@code @} before the host. */
    private static final Pattern USER_INFO = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]{0,20}://)[^\\s/?#\"'<>]*@");
    /** A credential-like parameter name after {@code ?}, {@code &} or {@code ;}, and its value. */
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "(?i)([?&;][a-z0-9_.-]*(?:pass|pwd|token|key|auth|sig|secret|credential)[a-z0-9_.-]*=)[^&;#\\s\"'<>]*");

    /** The playback token in the path of the IPTV outputs' URLs ({@code /s/TOKEN/...}). */
    private static final Pattern PATH_TOKEN = Pattern.compile("/s/[A-Za-z0-9_-]{16,}(/|$)");

    private Secrets() {}

    /** {@code text} with every credential it holds replaced by {@link #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        if (masked.indexOf('@') >= 0) {
            masked = USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
        }
        if (masked.indexOf('=') >= 0) {
            masked = CREDENTIAL_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
        }
        if (masked.contains("/s/")) {
            masked = PATH_TOKEN.matcher(masked).replaceAll("/s/" + MASK + "$1");
        }
        return masked;
    }
}
