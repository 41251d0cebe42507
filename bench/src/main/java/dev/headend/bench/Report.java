package dev.headend.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a run: one table row per figure (a distribution shows median, p95, p99 and its
 * sample count; a single figure shows its value), plus notes. Written as JSON and Markdown.
 */
final class Report {
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A distribution, in the unit named by the label. */
    void stats(String key, String label, Stats s) {
        results.put(key, s);
        row(label, num(s.median()), num(s.p95()), num(s.p99()), Integer.toString(s.count()));
    }

    /** A distribution known only by its median and p99 (wrk's latency histogram). */
    void latency(String key, String label, double median, double p99, long count) {
        results.put(key, new Latency(median, p99, count));
        row(label, num(median), "", num(p99), Long.toString(count));
    }

    record Latency(double median, double p99, long count) {}

    /** A single figure. */
    void value(String key, String label, Object value) {
        results.put(key, value);
        row(label, value instanceof Double d ? num(d) : String.valueOf(value), "", "", "");
    }

    void note(String text) {
        notes.add(text);
        System.out.println("note: " + text);
    }

    private void row(String label, String value, String p95, String p99, String n) {
        rows.add("| " + label + " | " + value + " | " + p95 + " | " + p99 + " | " + n + " |");
        System.out.println(label + ": " + value + (p95.isEmpty() ? "" : ", p95 " + p95)
                + (p99.isEmpty() ? "" : ", p99 " + p99) + (n.isEmpty() ? "" : ", n " + n));
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    void write(Path out, Machine machine, Plan plan, String command, double minutes) throws IOException {
        boolean quick = plan.equals(Plan.QUICK);
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDate.now().toString());
        json.put("command", command);
        json.put("machine", machine);
        json.put("quick", quick);
        json.put("plan", plan);
        json.put("minutes", minutes);
        json.put("results", results);
        json.put("notes", notes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("bench.json").toFile(), json);
        StringBuilder md = new StringBuilder();
        md.append("Command: `").append(command).append("`  \n");
        md.append("Machine: ").append(machine.header()).append("  \n");
        md.append("Date: ").append(LocalDate.now()).append(quick ? " (quick run)" : "")
                .append(String.format(Locale.ROOT, ", %.1f minutes", minutes)).append("\n\n");
        md.append("| measure | median / value | p95 | p99 | n |\n| --- | ---: | ---: | ---: | ---: |\n");
        rows.forEach(r -> md.append(r).append('\n'));
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        Files.writeString(out.resolve("bench.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nwritten to " + out.toAbsolutePath());
    }
}
