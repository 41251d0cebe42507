package dev.headend.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;

/**
 * A route's path template compiled to a Jetty {@link RegexPathSpec} with one named group per
 * parameter, so Jetty's path mappings order and match it (a literal path before a template
 * that could also match it). Immutable.
 */
final class PathTemplate {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    private static final String REGEX_SPECIAL = "\\.[]{}()<>*+-=!?^$|";

    private final String template;
    private final RegexPathSpec spec;
    private final List<String> names;

    PathTemplate(String template) {
        this.template = template;
        StringBuilder regex = new StringBuilder("^");
        List<String> found = new ArrayList<>();
        Matcher m = PARAMETER.matcher(template);
        int last = 0;
        while (m.find()) {
            literal(regex, template.substring(last, m.start()));
            String name = m.group(1);
            if (found.contains(name)) {
                throw new IllegalArgumentException("parameter {" + name + "} twice in " + template);
            }
            found.add(name);
            regex.append("(?<").append(name.replace("_", "")).append(">[^/]*)");
            last = m.end();
        }
        literal(regex, template.substring(last));
        if (template.substring(last).contains("{") || template.substring(last).contains("}")) {
            throw new IllegalArgumentException("malformed parameter in " + template);
        }
        this.spec = new RegexPathSpec(regex.append('$').toString());
        this.names = Collections.unmodifiableList(found);
    }

    PathSpec spec() {
        return spec;
    }

    String template() {
        return template;
    }

    /** The parameters of a path this template matches; empty when it does not match. */
    Optional<Map<String, String>> match(String path) {
        Matcher m = spec.getPattern().matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : names) {
            params.put(name, m.group(name.replace("_", "")));
        }
        return Optional.of(Collections.unmodifiableMap(params));
    }

    private static void literal(StringBuilder regex, String text) {
        for (char c : text.toCharArray()) {
            if (REGEX_SPECIAL.indexOf(c) >= 0) {
                regex.append('\\');
            }
            regex.append(c);
        }
    }
}
