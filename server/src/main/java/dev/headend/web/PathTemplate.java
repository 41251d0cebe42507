package dev.headend.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.pathmap.AbstractPathSpec;
import org.eclipse.jetty.http.pathmap.MatchedPath;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.PathSpecGroup;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;

/**
 * A route's path template as a Jetty path spec. A literal path becomes an exact {@link
 * ServletPathSpec} (found by a hash lookup); a template with parameters is this spec, placed
 * under the prefix of its first segment ({@code /live/*}) so that Jetty's path mappings only try
 * the few templates that share it. It matches segment by segment, without a regular expression
 * (Jetty's {@code RegexPathSpec} and {@code UriTemplatePathSpec} run one per try, and the
 * segment path is the hottest there is): a literal segment must be equal, a parameter segment
 * must end with the parameter's literal suffix and takes what comes before it, none included.
 * Among templates that could match the same path, the longer one is tried first. The first
 * segment is always literal. Immutable.
 */
final class PathTemplate extends AbstractPathSpec {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z][a-z0-9_]*)}(.*)");

    /** One segment: a literal, or a parameter followed by a literal suffix. */
    private record Segment(String literal, String parameter, String suffix) {
        boolean matches(String path, int from, int to) {
            if (parameter == null) {
                return to - from == literal.length() && path.startsWith(literal, from);
            }
            return to - from >= suffix.length() && path.startsWith(suffix, to - suffix.length());
        }
    }

    private final String template;
    private final List<Segment> segments = new ArrayList<>();

    PathTemplate(String template) {
        this.template = template;
        List<String> names = new ArrayList<>();
        for (String part : template.substring(1).split("/", -1)) {
            Matcher m = PARAMETER.matcher(part);
            if (m.matches()) {
                if (names.contains(m.group(1))) {
                    throw new IllegalArgumentException("parameter {" + m.group(1) + "} twice in " + template);
                }
                names.add(m.group(1));
                segments.add(new Segment(null, m.group(1), m.group(2)));
            } else {
                segments.add(new Segment(part, null, null));
            }
            String last = segments.getLast().parameter() == null ? part : m.group(2);
            if (last.contains("{") || last.contains("}")) {
                throw new IllegalArgumentException("malformed parameter in " + template);
            }
        }
        if (!literal() && segments.getFirst().parameter() != null) {
            throw new IllegalArgumentException("the first segment of a template is literal: " + template);
        }
    }

    String template() {
        return template;
    }

    /** True for a template without parameters: one exact path. */
    boolean literal() {
        return segments.stream().allMatch(s -> s.parameter() == null);
    }

    /** The spec to map the template with: an exact servlet spec for a literal template, this one otherwise. */
    PathSpec spec() {
        return literal() ? new ServletPathSpec(template.equals("/") ? "" : template) : this;
    }

    /** The servlet prefix spec of the template's first segment, {@code /live/*} for {@code /live/{id}.ts}. */
    String prefix() {
        return "/" + segments.getFirst().literal() + "/*";
    }

    /** The parameters of a path this template matches; empty when it does not match. */
    Optional<Map<String, String>> match(String path) {
        if (!matches(path)) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int from = 1;
        for (Segment s : segments) {
            int to = end(path, from);
            if (s.parameter() != null) {
                params.put(s.parameter(), path.substring(from, to - s.suffix().length()));
            }
            from = to + 1;
        }
        return Optional.of(params);
    }

    @Override
    public boolean matches(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int from = 1;
        for (int i = 0; i < segments.size(); i++) {
            if (from > path.length()) {
                return false;
            }
            int to = end(path, from);
            if (!segments.get(i).matches(path, from, to)) {
                return false;
            }
            from = to + 1;
        }
        return from == path.length() + 1;
    }

    /** Where the segment starting at {@code from} ends: the next slash, or the end of the path. */
    private static int end(String path, int from) {
        int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
    }

    @Override
    public MatchedPath matched(String path) {
        return matches(path) ? MatchedPath.from(path, null) : null;
    }

    @Override
    public int getSpecLength() {
        return template.length();
    }

    @Override
    public PathSpecGroup getGroup() {
        return PathSpecGroup.MIDDLE_GLOB;
    }

    @Override
    public int getPathDepth() {
        return segments.size();
    }

    @Override
    @Deprecated
    public String getPathInfo(String path) {
        return null;
    }

    @Override
    @Deprecated
    public String getPathMatch(String path) {
        return matches(path) ? path : null;
    }

    @Override
    public String getDeclaration() {
        return template;
    }

    @Override
    public String getPrefix() {
        return null;
    }

    @Override
    public String getSuffix() {
        return null;
    }
}
