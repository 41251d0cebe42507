package dev.headend.channel;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id pattern of a channel template: literal text around exactly one {@code {name}}
 * placeholder, as in {@code cam-{n}} or {@code ace-{hash}}. A requested id matches when it
 * starts with the prefix, ends with the suffix and what lies between is an acceptable value.
 *
 * <p>Invariant: an accepted value is 1 to 64 characters of {@code [A-Za-z0-9_.-]} starting with a
 * letter or digit, so it is never {@code .} or {@code ..}, never holds a {@code /}, a
 * percent sign, white space or a shell metacharacter, and never starts with {@code -} (it cannot
 * be read as an option by any program).
 */
public record IdPattern(String prefix, String placeholder, String suffix) {
    /** Values a placeholder accepts. */
    public static final Pattern VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern LITERAL = Pattern.compile("[a-z0-9_-]*");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern FORM = Pattern.compile("([^{}]*)\\{([^{}]*)}([^{}]*)");

    public IdPattern {
        if (!LITERAL.matcher(prefix).matches() || !LITERAL.matcher(suffix).matches()) {
            throw new InvalidChannelException("template id '" + prefix + "{" + placeholder + "}" + suffix
                    + "': the text around the placeholder may only hold a-z, 0-9, '_' and '-'");
        }
        if (!NAME.matcher(placeholder).matches()) {
            throw new InvalidChannelException("template id '" + prefix + "{" + placeholder + "}" + suffix
                    + "': the placeholder's name must be a-z, 0-9 and '_', starting with a letter, as in {n}");
        }
    }

    /**
     * Reads a pattern such as {@code cam-{n}}.
     *
     * @throws InvalidChannelException when it does not hold exactly one placeholder or its literal
     *     text is not made of channel id characters
     */
    public static IdPattern parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new InvalidChannelException("template id '" + text + "' must hold exactly one placeholder,"
                    + " as in cam-{n}");
        }
        return new IdPattern(m.group(1), m.group(2), m.group(3));
    }

    /** The placeholder's value in {@code id}, when {@code id} matches and the value is acceptable. */
    public Optional<String> match(String id) {
        if (id == null || id.length() > prefix.length() + suffix.length() + 64 || !id.startsWith(prefix)
                || !id.endsWith(suffix) || id.length() <= prefix.length() + suffix.length()) {
            return Optional.empty();
        }
        String value = id.substring(prefix.length(), id.length() - suffix.length());
        return VALUE.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }

    /** The placeholder as written in the template: {@code {n}}. */
    public String token() {
        return "{" + placeholder + "}";
    }

    /** The pattern as written: {@code cam-{n}}. */
    @Override
    public String toString() {
        return prefix + token() + suffix;
    }
}
