package dev.headend.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the server and ranks where its CPU samples were taken: by the top
 * frame (the hottest methods) and by the first Headend frame on the stack (which of our code
 * paths the time is spent under).
 */
final class HotMethods {
    private HotMethods() {}

    /** A method and its share of the execution samples. */
    record Share(String method, double percent) {}

    /** The {@code limit} hottest top frames and Headend frames of the recording. */
    static Map<String, List<Share>> rank(Path recording, int limit) throws IOException {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            RecordedStackTrace stack = e.getStackTrace();
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || stack == null
                    || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            top.merge(name(stack.getFrames().getFirst()), 1, Integer::sum);
            stack.getFrames().stream().filter(f -> f.isJavaFrame()
                            && f.getMethod().getType().getName().startsWith("dev.headend."))
                    .findFirst().ifPresent(f -> ours.merge(name(f), 1, Integer::sum));
        }
        return Map.of("top frames", shares(top, samples, limit), "first Headend frame", shares(ours, samples, limit));
    }

    private static List<Share> shares(Map<String, Integer> counts, int samples, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(en -> new Share(en.getKey(), 100.0 * en.getValue() / Math.max(1, samples)))
                .toList();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    static String format(Share s) {
        return String.format(Locale.ROOT, "%.1f%% %s", s.percent(), s.method());
    }
}
