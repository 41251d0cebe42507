/**
 * The REST API: streams ({@link dev.headend.web.api.StreamsApi}), channels ({@link
 * dev.headend.web.api.ChannelsApi}) and their M3U import ({@link
 * dev.headend.web.api.ChannelImportApi}), the process pool and restart decisions, Prometheus
 * metrics and the health check ({@link dev.headend.web.api.SystemApi}), configuration
 * reload ({@link dev.headend.web.api.ConfigApi}) and the OpenAPI document of every route ({@link
 * dev.headend.web.api.OpenApiDocument}); each a route group of its own, with the JSON shapes of
 * what it shows.
 */
package dev.headend.web.api;
