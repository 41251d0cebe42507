/** The benchmark command: measures a real server process over loopback HTTP. */
package dev.headend.bench;
