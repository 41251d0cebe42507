package dev.headend.bench;

import java.util.Locale;

/**
 * The server's resident memory in the minute after a load ended, with the channel still
 * running and no viewer: sampled every second, it tells whether the server gives memory back
 * to the operating system, and how soon it is under {@link #TARGET_MB}.
 */
final class RssAfterLoad {
    private static final int SECONDS = 60;
    static final long TARGET_MB = 256;

    private RssAfterLoad() {}

    /** Waits a minute after the load; reports the RSS at its end and when it first fell under the target. */
    static void measure(ServerProcess server, Report report, String key, String what) throws InterruptedException {
        long start = System.nanoTime();
        long before = server.rssKb();
        long underAfter = -1;
        long rss = before;
        for (int s = 1; s <= SECONDS; s++) {
            Load.sleepUntil(start + s * Load.SECOND);
            rss = server.rssKb();
            if (underAfter < 0 && rss < TARGET_MB * 1024) {
                underAfter = s;
            }
        }
        System.out.printf(Locale.ROOT, "  server RSS %d MB when the load ended, %d MB a minute later%n",
                before / 1024, rss / 1024);
        report.value(key + "_rss_after_load_mb", what + ": server RSS one minute after the load (MB)", rss / 1024.0);
        report.value(key + "_rss_under_target_s", what + ": seconds after the load until server RSS < " + TARGET_MB
                + " MB", underAfter < 0 ? "not within " + SECONDS + " s" : Long.toString(underAfter));
    }
}
