package dev.headend.pipeline;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the FFmpeg argument list for a channel. The result is passed to the OS as an
 * argument vector, never through a shell. User text never becomes an option: URLs and paths
 * are only ever the value after {@code -i} (files with an explicit {@code file:} protocol), and
 * the test pattern reads the channel name from a caption file rather than the filter graph.
 *
 * <p>FFmpeg writes one continuous MPEG-TS to stdout and {@code -progress} blocks plus
 * level-tagged log lines to stderr. Transcoded video gets a keyframe at 0, at half a segment
 * (so the first segment closes fast) and then every segment duration. Copied video keeps the
 * source's keyframes, and every keyframe carries the parameter sets (SPS/PPS) a decoder needs to
 * start there (see {@link #annexB}).
 */
public final class FfmpegCommand {
    /** Network read timeout handed to FFmpeg, in microseconds. */
    static final long NETWORK_TIMEOUT_MICROS = 10_000_000L;
    /** Probing of live network inputs, in microseconds: FFmpeg's 5 s default delays every start. */
    static final long NETWORK_ANALYZE_MICROS = 1_000_000L;

    /** File extensions of MPEG-TS files, whose video is Annex B. */
    private static final Set<String> TS_FILES = Set.of("ts", "m2ts", "mts", "trp");
    /**
     * URL path extensions of containers with length-prefixed video (and of HLS playlists, whose
     * segments may be fragmented MP4), which dump_extra would corrupt.
     */
    private static final Set<String> LENGTH_PREFIXED = Set.of("mp4", "m4v", "mov", "mkv", "webm", "flv", "m3u8",
            "m3u");

    private FfmpegCommand() {}

    /**
     * @param source which of the channel's sources to read
     * @param captionFile file name (relative to the process's working directory) holding the
     *     channel name, used by the test pattern
     */
    public static List<String> build(String ffmpeg, Channel channel, Source source, int segmentSeconds,
            String captionFile) {
        List<String> a = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "level+warning",
                "-nostats", "-progress", "pipe:2", "-stats_period", "1"));
        boolean secondInputAudio = input(a, channel, source, captionFile);
        output(a, channel.profile(), source, segmentSeconds, secondInputAudio);
        a.addAll(List.of("-f", "mpegts", "-flush_packets", "1", "pipe:1"));
        return List.copyOf(a);
    }

    /** Adds input options; returns true when audio comes from a second (generated) input. */
    private static boolean input(List<String> a, Channel channel, Source source, String captionFile) {
        String timeout = Long.toString(NETWORK_TIMEOUT_MICROS);
        if (!(source instanceof Source.TestPattern) && !(source instanceof Source.MediaFile)
                && !(source instanceof Source.Push)) {
            a.addAll(List.of("-analyzeduration", Long.toString(NETWORK_ANALYZE_MICROS)));
        }
        switch (source) {
            case Source.TestPattern t -> {
                OutputProfile.H264 p = (OutputProfile.H264) channel.profile();
                String size = p.width().orElse(OutputProfile.H264.TEST_PATTERN_WIDTH) + "x"
                        + p.height().orElse(OutputProfile.H264.TEST_PATTERN_HEIGHT);
                int rate = p.fps().orElse(OutputProfile.H264.TEST_PATTERN_FPS);
                String caption = "fontsize=h/12:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=10:x=w/24";
                a.addAll(List.of("-re", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + rate
                        + ",drawtext=textfile=" + captionFile + ":" + caption + ":y=h/9"
                        + ",drawtext=text='%{localtime\\:%T}':" + caption + ":y=h/4"));
                if (p.audio() != AudioMode.NONE) {
                    a.addAll(List.of("-re", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000"));
                    return true;
                }
                return false;
            }
            case Source.MediaFile f -> a.addAll(List.of("-re", "-stream_loop", "-1", "-i", "file:" + f.path()));
            // images on stdin (JPEG, PNG or WebP, probed), each stamped with its arrival time
            case Source.Push p -> a.addAll(List.of("-use_wallclock_as_timestamps", "1", "-probesize", "32",
                    "-i", "pipe:0"));
            case Source.Http h -> a.addAll(List.of("-reconnect", "1", "-reconnect_streamed", "1",
                    "-reconnect_on_network_error", "1", "-reconnect_delay_max", "5", "-rw_timeout", timeout,
                    "-i", h.uri().toString()));
            case Source.Rtsp r -> a.addAll(List.of("-rtsp_transport", "tcp", "-timeout", timeout,
                    "-i", r.uri().toString()));
            case Source.Network n -> a.addAll(List.of("-rw_timeout", timeout, "-i", n.uri().toString()));
        }
        return false;
    }

    private static void output(List<String> a, OutputProfile profile, Source source, int segmentSeconds,
            boolean secondInputAudio) {
        a.addAll(List.of("-map", "0:v:0?"));
        if (profile.audio() != AudioMode.NONE) {
            a.addAll(List.of("-map", secondInputAudio ? "1:a:0" : "0:a:0?"));
        }
        switch (profile) {
            case OutputProfile.Copy c -> {
                a.addAll(List.of("-c:v", "copy"));
                if (annexB(source)) {
                    a.addAll(List.of("-bsf:v", "dump_extra=freq=keyframe"));
                }
            }
            case OutputProfile.H264 h -> h264(a, h, segmentSeconds, source instanceof Source.Push);
        }
        switch (profile.audio()) {
            case AAC -> a.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"));
            case COPY -> a.addAll(List.of("-c:a", "copy"));
            case NONE -> a.add("-an");
        }
        a.addAll(List.of("-sn", "-dn"));
    }

    /**
     * Whether the source's video arrives as Annex B (MPEG-TS, RTP). FFmpeg's MPEG-TS muxer passes
     * such video on as it is, so parameter sets sent once (or only in the SDP) would be missing
     * before later keyframes: dump_extra puts them before every keyframe. Length-prefixed video
     * (MP4, Matroska, FLV/RTMP) needs no filter, as FFmpeg's conversion to Annex B already puts
     * them before every keyframe, and must not get it (dump_extra would prepend the
     * length-prefixed parameter sets and corrupt the stream). Decided by the source's kind and its
     * path's extension; an HTTP URL without a known extension is taken as MPEG-TS, as IPTV
     * sources are.
     */
    static boolean annexB(Source source) {
        return switch (source) {
            case Source.Rtsp r -> true;
            case Source.Network n -> !n.uri().getScheme().toLowerCase(Locale.ROOT).startsWith("rtmp");
            case Source.Http h -> !LENGTH_PREFIXED.contains(extension(h.uri().getPath()));
            case Source.MediaFile f -> TS_FILES.contains(extension(f.path().getFileName().toString()));
            case Source.TestPattern t -> false;
            case Source.Push p -> false;
        };
    }

    /** The lower-case extension of the last path element, empty when it has none. */
    private static String extension(String path) {
        if (path == null) {
            return "";
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** @param anySize the input's picture may have odd sides (pushed images), which H.264 in 4:2:0 cannot take */
    private static void h264(List<String> a, OutputProfile.H264 h, int segmentSeconds, boolean anySize) {
        if (h.width().isPresent() || h.height().isPresent()) {
            a.addAll(List.of("-vf", "scale=" + h.width().orElse(-2) + ":" + h.height().orElse(-2)));
        } else if (anySize) {
            a.addAll(List.of("-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"));
        }
        h.fps().ifPresent(fps -> a.addAll(List.of("-r", Integer.toString(fps))));
        String rate = h.bitrateKbps() + "k";
        a.addAll(List.of("-c:v", "libx264", "-preset", h.preset(), "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", rate, "-maxrate", rate, "-bufsize", (h.bitrateKbps() * 2) + "k",
                "-g", "1000", "-sc_threshold", "0",
                "-force_key_frames", String.format(Locale.ROOT,
                        "expr:if(eq(n_forced,0),1,gte(t,(n_forced-0.5)*%d))", segmentSeconds)));
    }
}
