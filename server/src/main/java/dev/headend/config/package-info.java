/**
 * Server settings and the YAML configuration file: each setting defined once ({@link
 * dev.headend.config.Setting}: key, environment variable, kind, default, range, the part of the
 * server it configures), resolved with precedence environment &gt; file &gt; default and bound to
 * one settings record per component ({@link dev.headend.config.ServerSettings}); the file read
 * only when it is a regular file of bounded size, within a bounded time ({@code ConfigFile}), and
 * its YAML with aliases and merge keys resolved and bounded ({@code YamlTree}); channel, slate
 * and guide sections parsed into definitions; validation that names the setting or channel at
 * fault.
 */
package dev.headend.config;
