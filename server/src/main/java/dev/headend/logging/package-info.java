/**
 * Logback converters that pass every log message and every logged exception through {@link
 * dev.headend.security.Secrets#mask}, so no log line shows a password or token whatever code
 * wrote it. {@link LogSetup} installs them in place of {@code %msg} and {@code %ex}.
 */
package dev.headend.logging;
