/**
 * Server settings and the YAML configuration file: one definition per setting ({@link
 * dev.headend.config.Setting}), loading with precedence environment &gt; file &gt; default, and
 * validation that names the setting or channel at fault.
 */
package dev.headend.config;
