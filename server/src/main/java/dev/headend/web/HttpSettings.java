package dev.headend.web;

/**
 * Where the HTTP server listens, bound from the server settings.
 *
 * @param bind the address ({@code 0.0.0.0} for every interface)
 * @param port the port, 0 for a free one
 */
public record HttpSettings(String bind, int port) {}
