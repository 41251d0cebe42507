package dev.headend.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Marks tests that drive Chromium (through Playwright); they need FFmpeg as well. The quick
 * lane, {@code ./headend test --quick}, leaves them out. One such class runs at a time: a
 * browser decoding video beside the other test classes' encoders is the heaviest load of the
 * suite, and two of them on a 2-core machine starved each other's pages.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@Tag("ffmpeg")
@ResourceLock("chromium")
public @interface NeedsBrowser {}
