/**
 * The HLS mirror: each running stream's live playlist and segments written to a directory, so
 * any web server (nginx, a CDN origin) can serve them. Depends on the streams only.
 */
package dev.headend.mirror;
