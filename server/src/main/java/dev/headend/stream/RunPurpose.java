package dev.headend.stream;

import java.util.Locale;

/** Why a run exists. */
enum RunPurpose {
    /** The stream's pipeline: its first run, a restart after a failure, or a failover. */
    LIVE,
    /** An operator's hot swap. */
    OPERATOR,
    /** The seamless replacement of a run older than the long-run limit. */
    LONG_RUN,
    /** A try of the first source beside a run on a fallback source. */
    FAILBACK,
    /** The replacement of a run built from an older definition of the channel. */
    RECONFIGURE;

    /** True for the purposes of a replacement: a run started beside the live one, taking over when it produces. */
    boolean replaces() {
        return this != LIVE;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
