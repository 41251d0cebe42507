package dev.headend.web.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.catalog.ChannelImport;
import dev.headend.catalog.ChannelRegistry;
import dev.headend.catalog.M3uReader;
import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.security.Secrets;
import dev.headend.sync.UnsharedChangeException;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/channels/import}: channels from an M3U playlist, sent as the body or fetched
 * from the URL of a JSON body {@code {"url": "..."}} (see {@link PlaylistFetch}). Each entry
 * becomes a channel of origin {@code api} (see {@link ChannelImport}); every line that creates
 * nothing is reported with its number, the id it would have had, and an error.
 *
 * <p>The answer lists {@code created} (stored) and {@code rejected} lines; when nothing was
 * stored (a dry run, or a refused import) {@code would_create} lists the entries that passed.
 * Answers: 201 when every entry was created; 200 with {@code ?partial=true} when some lines
 * were refused and the others created; 422 {@code import_refused} with the report and nothing
 * created when a line was refused without {@code ?partial=true}, or when no entry could be
 * created; 200 for {@code ?dry_run=true}, which stores nothing. The report's URLs and messages
 * are masked.
 */
public final class ChannelImportApi implements RouteGroup {
    private static final Logger log = LoggerFactory.getLogger(ChannelImportApi.class);
    /** The largest playlist read, sent or fetched. */
    static final int MAX_PLAYLIST_BYTES = 20 * 1024 * 1024;
    /** The longest a fetch of a playlist may take. */
    static final Duration FETCH_TIME = Duration.ofSeconds(30);

    private final ChannelRegistry channels;
    private final PlaylistFetch fetch = new PlaylistFetch(MAX_PLAYLIST_BYTES, FETCH_TIME);

    public ChannelImportApi(ChannelRegistry channels) {
        this.channels = channels;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/api/channels/import", this::importPlaylist));
    }

    private void importPlaylist(Exchange ex) throws IOException {
        boolean dryRun = flag(ex, "dry_run");
        boolean partial = flag(ex, "partial");
        byte[] playlist = playlist(ex);
        if (!M3uReader.extended(playlist)) {
            throw new ApiException(422, "not_a_playlist", "the playlist must start with #EXTM3U (an extended M3U"
                    + " playlist); nothing was changed");
        }
        List<ChannelImport.Line> lines = ChannelImport.lines(M3uReader.read(playlist));
        if (lines.isEmpty()) {
            throw new ApiException(422, "empty_playlist", "the playlist has no #EXTINF entry; nothing was changed");
        }
        ChannelImport.Result result;
        try {
            result = channels.importChannels(lines, partial, dryRun);
        } catch (UnsharedChangeException e) {
            throw ChannelsApi.unshared(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (dryRun) {
            status = 200;
        } else if (result.stored()) {
            status = result.rejected().isEmpty() ? 201 : 200;
        } else {
            status = 422;
            body.put("error", error("import_refused", result.rejected().size() + " line(s) of the playlist were"
                    + " refused (see rejected); nothing was created" + (partial ? ""
                    : " (fix them, or add ?partial=true to create the other entries)")));
        }
        List<Map<String, Object>> accepted = result.created().stream().map(ChannelImportApi::created).toList();
        body.put("dry_run", dryRun);
        body.put("partial", partial);
        body.put("created_count", result.stored() ? accepted.size() : 0);
        body.put("rejected_count", result.rejected().size());
        body.put("created", result.stored() ? accepted : List.of());
        if (!result.stored()) {
            body.put("would_create", accepted);
        }
        body.put("rejected", result.rejected().stream().map(ChannelImportApi::rejected).toList());
        if (!dryRun && !result.stored()) {
            log.info("channel import refused: {} line(s) refused, nothing created", result.rejected().size());
        }
        ex.json(status, body);
    }

    /** The playlist: the body, or what the URL of a JSON body names. */
    private byte[] playlist(Exchange ex) throws IOException {
        String type = ex.header(HttpHeader.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
        byte[] body = ex.body(MAX_PLAYLIST_BYTES);
        if (!type.startsWith("application/json")) {
            if (body.length == 0) {
                throw new ApiException(400, "invalid_body", "send an M3U playlist as the body, or a JSON body"
                        + " {\"url\": \"https://...\"} with Content-Type application/json");
            }
            return body;
        }
        JsonNode json;
        try {
            json = Http.JSON.readTree(body);
        } catch (JacksonException e) {
            json = null;
        }
        JsonNode url = json == null || !json.isObject() ? null : json.get("url");
        if (url == null || !url.isTextual() || json.size() != 1) {
            throw new ApiException(400, "invalid_body", "a JSON body must be {\"url\": \"https://...\"}, the"
                    + " playlist to fetch; send a playlist itself as the body with Content-Type audio/x-mpegurl");
        }
        return fetch.fetch(url.asText());
    }

    private static boolean flag(Exchange ex, String name) {
        String value = ex.query(name).orElse("false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new ApiException(400, "invalid_parameter", name + " must be 'true' or 'false', got '"
                    + Http.printable(value) + "'");
        }
        return value.equals("true");
    }

    private static Map<String, Object> created(ChannelImport.Created c) {
        Channel channel = c.channel();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", c.line());
        m.put("id", channel.id());
        m.put("name", channel.name());
        m.put("number", channel.number().orElse(null));
        m.put("group", channel.group().orElse(null));
        m.put("logo", channel.logo().map(Secrets::mask).orElse(null));
        m.put("sources", channel.sources().stream().map(Source::display).toList());
        return m;
    }

    private static Map<String, Object> rejected(ChannelImport.Rejected r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", r.line());
        m.put("id", r.id());
        m.put("error", error(r.code(), Secrets.mask(r.message())));
        return m;
    }

    private static Map<String, String> error(String code, String message) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        return e;
    }
}
