/**
 * The HTTP surface: URL routing, the REST API for streams and channels, JSON responses and
 * errors ({@code {"error": {"code", "message"}}}), CORS and the dashboard's static files.
 */
package dev.headend.api;
