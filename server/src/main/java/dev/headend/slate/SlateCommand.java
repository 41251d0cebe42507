package dev.headend.slate;

import dev.headend.channel.SlateLook;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFmpeg argument vector that encodes a slate clip as MPEG-TS on stdout.
 *
 * <p>Invariants: the clip lasts {@link #SEGMENTS} segments; H.264 (yuv420p, no B-frames) has a
 * keyframe exactly on every segment boundary and nowhere else; video is PID {@link #VIDEO_PID},
 * audio (AAC at the format's rate and channel count, or none) PID {@link #AUDIO_PID}. The audio
 * is cut so its encoded frames, including the encoder's priming frame, span the video's length
 * to within half a frame: the clip loops without an audio gap or overlap of more than that.
 * No argument contains user text: texts (the status line too) are read from {@link SlateText}
 * files in the working directory, and the image path is only the value of {@code -i}, behind
 * {@code file:}.
 */
final class SlateCommand {
    /** Segments per clip: enough to cycle through, few enough to be cheap. */
    static final int SEGMENTS = 2;
    static final int VIDEO_PID = 0x100;
    static final int AUDIO_PID = 0x101;
    /** Samples per AAC frame. */
    private static final int AAC_FRAME = 1024;

    private SlateCommand() {}

    /** @param status the status line drawn on the clip, empty for none */
    static List<String> arguments(String ffmpeg, MediaFormat format, SlateLook look, String status,
            int segmentSeconds) {
        List<String> a = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error"));
        a.addAll(videoInput(format, look, status));
        format.audio().ifPresent(audio -> a.addAll(List.of("-f", "lavfi", "-i", audioGraph(format, audio, look,
                segmentSeconds))));
        a.addAll(List.of("-map", "0:v:0"));
        if (look.visual() == SlateLook.Visual.STATIC) {
            a.addAll(List.of("-filter:v", fit(format, look) + texts(look, status, true)));
        }
        a.addAll(List.of("-t", Integer.toString(SEGMENTS * segmentSeconds),
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "28",
                "-pix_fmt", "yuv420p", "-bf", "0", "-g", "100000", "-sc_threshold", "0",
                "-force_key_frames", "expr:gte(t,n_forced*" + segmentSeconds + ")",
                "-streamid", "0:" + VIDEO_PID));
        format.audio().ifPresentOrElse(audio -> a.addAll(List.of("-map", "1:a:0", "-c:a", "aac", "-b:a", "64k",
                        "-ar", Integer.toString(audio.sampleRate()), "-ac", Integer.toString(audio.channels()),
                        "-streamid", "1:" + AUDIO_PID)),
                () -> a.add("-an"));
        a.addAll(List.of("-f", "mpegts", "pipe:1"));
        return List.copyOf(a);
    }

    /** Video frames in the clip: those starting before its nominal end. */
    private static long videoFrames(MediaFormat format, int segmentSeconds) {
        return (long) Math.ceil(SEGMENTS * segmentSeconds * format.fps() - 1e-6);
    }

    private static List<String> videoInput(MediaFormat f, SlateLook look, String status) {
        String fps = Double.toString(f.fps());
        String size = f.width() + "x" + f.height();
        String colour = "color=c=" + look.background() + ":s=" + size + ":r=" + fps;
        return switch (look.visual()) {
            case STATIC -> List.of("-loop", "1", "-framerate", fps, "-f", "image2", "-pattern_type", "none",
                    "-i", "file:" + look.image().orElseThrow().toAbsolutePath());
            case TEXT -> lavfi(colour + texts(look, status, false));
            case SLATE -> lavfi(colour + ",drawbox=x=0:y=ih/3:w=iw:h=ih/3:color=black@0.5:t=fill"
                    + texts(look, status, false));
            case TEST_PATTERN -> lavfi("smptehdbars=s=" + size + ":r=" + fps + texts(look, status, true));
        };
    }

    private static List<String> lavfi(String graph) {
        return List.of("-f", "lavfi", "-i", graph);
    }

    /** A drawtext filter, each after a comma, for every text drawn (see {@link SlateText#drawn}). */
    private static String texts(SlateLook look, String status, boolean boxed) {
        StringBuilder g = new StringBuilder();
        for (SlateText t : SlateText.drawn(look, status)) {
            g.append(',').append(t.drawtext(boxed));
        }
        return g.toString();
    }

    /** Scales a STATIC image into the frame, keeping its aspect ratio, on the background colour. */
    private static String fit(MediaFormat f, SlateLook look) {
        String size = f.width() + ":" + f.height();
        return "scale=" + size + ":force_original_aspect_ratio=decrease,pad=" + size + ":(ow-iw)/2:(oh-ih)/2:color="
                + look.background() + ",setsar=1";
    }

    /**
     * The looping sound, cut to {@code k - 1} AAC frames of samples so that, with the
     * encoder's priming frame, {@code k} frames span the video.
     */
    private static String audioGraph(MediaFormat f, MediaFormat.Audio audio, SlateLook look, int segmentSeconds) {
        int rate = audio.sampleRate();
        String source = switch (look.audio()) {
            case SILENT -> "anullsrc=r=" + rate + ":cl=mono";
            case SINE -> "sine=frequency=440:sample_rate=" + rate;
            case WHITE_NOISE -> "anoisesrc=r=" + rate + ":c=white:a=0.05";
            case BEEP -> "aevalsrc='0.25*sin(2*PI*1000*t)*lt(mod(t,1),0.2)':s=" + rate;
        };
        double seconds = videoFrames(f, segmentSeconds) / f.fps();
        long frames = Math.round(seconds * rate / AAC_FRAME);
        return source + ",atrim=end_sample=" + (frames - 1) * AAC_FRAME;
    }
}
