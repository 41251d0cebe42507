/**
 * Headend's entry point and wiring: the command line ({@code serve}, {@code demo}, and
 * {@code bench} from {@code dev.headend.bench}), start-up checks, and the server object that
 * builds every component by hand.
 */
package dev.headend;
