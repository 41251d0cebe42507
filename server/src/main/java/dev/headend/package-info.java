/**
 * Headend's entry point and wiring: the command line ({@code serve}, {@code demo}), start-up
 * checks, and the server object that builds every component by hand and starts them in one
 * declared order.
 */
package dev.headend;
