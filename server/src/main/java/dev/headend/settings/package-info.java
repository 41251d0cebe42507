/**
 * Server settings changed while the server runs: values set through the API, checked all
 * together ({@link dev.headend.settings.SettingsInput}), kept in the store ({@link
 * dev.headend.settings.SettingsStore}) and applied to the running components ({@link
 * dev.headend.settings.LiveSettings}), together with the configuration file's values on reload.
 */
package dev.headend.settings;
