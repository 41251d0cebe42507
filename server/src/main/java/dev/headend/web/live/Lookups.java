package dev.headend.web.live;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.session.SessionEndedException;
import dev.headend.session.SessionLimitException;
import dev.headend.stream.CircuitOpenException;
import dev.headend.stream.NotOwnerException;
import dev.headend.stream.Ownership;
import dev.headend.stream.ShuttingDownException;
import dev.headend.stream.StartResult;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamUnavailableException;
import dev.headend.stream.UnknownChannelException;
import dev.headend.web.ApiException;
import dev.headend.web.Http;
import java.util.Optional;

/**
 * Validation shared by routes that name a channel: a listed channel (ephemeral ones of
 * templates included, whose ids may hold capitals and dots) is found; otherwise a malformed id is
 * 400 and an unknown channel 404.
 */
public final class Lookups {
    private Lookups() {}

    public static Channel channel(ChannelCatalog channels, String id) {
        Optional<Channel> listed = channels.find(id);
        if (listed.isPresent()) {
            return listed.get();
        }
        if (!Channel.validId(id)) {
            throw new ApiException(400, "invalid_channel_id", "invalid channel id '" + Http.printable(id)
                    + "': use 1-64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return channels.find(id).orElseThrow(
                () -> new ApiException(404, "channel_not_found", "no channel with id '" + id + "'"));
    }

    /**
     * The listed channel {@code id}, or the one a template would make for it (nothing is made
     * yet): an id no channel has and no template accepts is 400 when malformed, else 404.
     */
    public static Channel channel(StreamManager manager, String id) {
        return manager.lookup(id).orElseGet(() -> channel(manager.channels(), id));
    }

    /**
     * Starts (or joins) the channel's stream, translating expected failures to API errors. An id
     * a template accepts makes its ephemeral channel.
     */
    public static StartResult start(StreamManager manager, String id) {
        try {
            return startHere(manager, id);
        } catch (NotOwnerException e) {
            throw notOwner(e);
        }
    }

    /**
     * As {@link #start}, except that a channel this node may not run (a cluster node that does
     * not own it) is left to the caller.
     */
    public static StartResult startHere(StreamManager manager, String id) throws NotOwnerException {
        channel(manager, id);
        try {
            return manager.start(id);
        } catch (UnknownChannelException e) {
            throw new ApiException(404, "channel_not_found", e.getMessage());
        } catch (CircuitOpenException e) {
            long wait = Math.max(1, e.left().toSeconds() + 1);
            throw new ApiException(503, "circuit_open", e.getMessage(), (int) Math.min(wait, Integer.MAX_VALUE));
        } catch (ShuttingDownException e) {
            throw new ApiException(503, "shutting_down", e.getMessage(), 5);
        }
    }

    /**
     * The answer to a start this node may not make: 409 {@code owned_elsewhere} naming the node
     * that runs the channel, or 503 {@code cluster_unavailable} while ownership cannot be granted.
     */
    public static ApiException notOwner(NotOwnerException e) {
        return switch (e.claim()) {
            case Ownership.Claim.Elsewhere elsewhere -> new ApiException(409, "owned_elsewhere", e.getMessage()
                    + " (" + elsewhere.url() + "); start it there or watch it through any node");
            case Ownership.Claim.Unavailable u -> new ApiException(503, "cluster_unavailable", e.getMessage(),
                    (int) Math.max(1, u.retryAfter().toSeconds()));
            case Ownership.Claim.Granted g -> throw new IllegalStateException("granted", e);
        };
    }

    /** The 429 a viewer over the channel's session limit gets; nothing was started or counted. */
    static ApiException full(SessionLimitException e) {
        return new ApiException(429, "too_many_sessions", e.getMessage(), SessionLimitException.RETRY_AFTER_SECONDS);
    }

    /** The 403 a request with the token of a session an operator ended gets. */
    static ApiException ended(SessionEndedException e) {
        return new ApiException(403, "session_ended", e.getMessage());
    }

    /** The 503 an operator gets when a stream cannot deliver, with the reason (masked). */
    public static ApiException unavailable(StreamUnavailableException e) {
        return new ApiException(503, e.code(), e.getMessage(), 5);
    }

    /**
     * The 503 a viewer gets when a stream cannot deliver; players retry after a few seconds. It
     * names the condition but not its detail: FFmpeg's reason can hold a file's path or a
     * camera's address, which only operators see (in the API).
     */
    public static ApiException unavailableToViewer(String id, StreamUnavailableException e) {
        String what = switch (e.code()) {
            case "start_timeout" -> "did not start in time";
            case "stream_stopped" -> "was stopped";
            default -> "cannot play now (" + e.code() + ")";
        };
        return new ApiException(503, e.code(), "channel " + id + " " + what + "; try again shortly", 5);
    }
}
