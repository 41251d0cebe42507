/**
 * Server settings and the YAML configuration file: each setting defined once ({@link
 * dev.headend.config.Setting}: key, environment variable, kind, default, range, the part of the
 * server it configures), resolved with precedence environment &gt; file &gt; default and bound to
 * one settings record per component ({@link dev.headend.config.ServerSettings}); channel and
 * slate sections parsed into definitions; validation that names the setting or channel at
 * fault.
 */
package dev.headend.config;
