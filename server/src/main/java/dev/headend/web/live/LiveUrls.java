package dev.headend.web.live;

/** Where a channel is watched. */
public final class LiveUrls {
    private LiveUrls() {}

    public static String playlist(String baseUrl, String id) {
        return baseUrl + "/live/" + id + "/index.m3u8";
    }

    public static String ts(String baseUrl, String id) {
        return baseUrl + "/live/" + id + ".ts";
    }
}
