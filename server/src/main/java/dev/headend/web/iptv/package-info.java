/**
 * Outputs for TV apps and media servers: the M3U playlist and the XMLTV guide ({@link
 * dev.headend.web.iptv.PlaylistRoutes}), and an emulated HDHomeRun tuner for Plex, Jellyfin,
 * Emby and Channels DVR ({@link dev.headend.web.iptv.TunerRoutes}), which {@link
 * dev.headend.web.iptv.SsdpResponder} can announce on the network. Every channel appears under
 * one guide number ({@link dev.headend.web.iptv.Lineup}) in all of them; when playback is
 * protected they are served under {@code /s/{token}/}, the token being in the path because these
 * clients drop or mangle query strings ({@link dev.headend.web.iptv.OutputLinks}).
 */
package dev.headend.web.iptv;
