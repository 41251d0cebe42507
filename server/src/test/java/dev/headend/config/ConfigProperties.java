package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.headend.support.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Any text, and any mutation of the shipped example configuration, loads or is refused with a
 * {@link ConfigException} that says why: never another exception, never a hang.
 */
class ConfigProperties {
    /** One document's bound: far above what a refusal or a load takes, far below a hang. */
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Path FILE = Path.of("/etc/headend/headend.yml");
    private static final String EXAMPLE = read(Project.file("config/example.yml"));
    /** Pieces of YAML syntax a mutation inserts. */
    private static final List<String> SYNTAX = List.of(
            ":", ": ", "- ", "\n", "\n  ", "  ", "#", "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "[", "]", "{", "}",
            ",", "\"", "'", "|", ">", "!", "!!binary ", "!!str ", "? ", "---\n", "...\n", "%YAML 1.2\n", "@", "`",
            "${X}", "${X:-1}", "\t", "\u0000", "\uFEFF", "\u00e9", "0x1F", "1e400", "99999999999999999999", "-1", ".inf",
            "~", "null", "true", "no");

    @Provide
    static Arbitrary<String> yamlLike() {
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of(SYNTAX),
                Arbitraries.strings().alpha().numeric().ofMaxLength(6));
        return token.list().ofMaxSize(40).map(tokens -> String.join("", tokens));
    }

    /** The example configuration with a few insertions, deletions or line swaps. */
    @Provide
    static Arbitrary<String> mutatedExample() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, EXAMPLE.length()), Arbitraries.integers().between(0, 40),
                Arbitraries.of(SYNTAX)).as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(4).map(ms -> {
            String text = EXAMPLE;
            for (Mutation m : ms) {
                text = m.apply(text);
            }
            return text;
        });
    }

    /** One change at {@code at}: insert, delete {@code length} characters, duplicate a line, or drop the indent. */
    private record Mutation(int kind, int at, int length, String syntax) {
        String apply(String text) {
            int from = Math.min(at, text.length());
            int to = Math.min(from + length, text.length());
            int lineStart = text.lastIndexOf('\n', Math.max(0, from - 1)) + 1;
            int lineEnd = text.indexOf('\n', from) < 0 ? text.length() : text.indexOf('\n', from) + 1;
            return switch (kind) {
                case 0 -> text.substring(0, from) + syntax + text.substring(from);
                case 1 -> text.substring(0, from) + text.substring(to);
                case 2 -> text.substring(0, lineEnd) + text.substring(lineStart, lineEnd) + text.substring(lineEnd);
                default -> text.substring(0, lineStart) + text.substring(lineStart, lineEnd).stripLeading()
                        + text.substring(lineEnd);
            };
        }
    }

    @Property(tries = 1000)
    void anyTextLoadsOrIsRefusedWithAReason(@ForAll String text) {
        assertLoadsOrIsRefused(text);
    }

    @Property(tries = 600)
    void yamlLikeTextLoadsOrIsRefusedWithAReason(@ForAll("yamlLike") String text) {
        Statistics.collect(assertLoadsOrIsRefused(text));
        Statistics.coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Property(tries = 300)
    void aMutatedExampleLoadsOrIsRefusedWithAReason(@ForAll("mutatedExample") String text) {
        Statistics.collect(assertLoadsOrIsRefused(text));
        Statistics.coverage(c -> {
            c.check(true).percentage(p -> p > 5);
            c.check(false).percentage(p -> p > 5);
        });
    }

    @Test
    void theExampleLoadsAsTheMutationsFindIt() {
        assertThat(new ConfigLoader(Map.of()).parse(EXAMPLE, "headend.yml", FILE).channels()).hasSizeGreaterThan(5);
    }

    /** True when the text loads, false when it is refused with a reason; fails on anything else. */
    private static boolean assertLoadsOrIsRefused(String text) {
        return assertTimeoutPreemptively(BOUND, () -> {
            try {
                new ConfigLoader(Map.of("X", "1")).parse(text, "headend.yml", FILE);
                return true;
            } catch (ConfigException e) {
                assertThat(e.getMessage()).isNotBlank();
                return false;
            }
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
