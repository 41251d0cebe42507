package dev.headend.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks tests that drive Chromium (through Playwright); they need FFmpeg as well. The quick
 * lane, {@code ./headend test --quick}, leaves them out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@Tag("ffmpeg")
public @interface NeedsBrowser {}
