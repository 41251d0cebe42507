package dev.headend.session;

/** A request with the token of a session an operator ended: the token no longer works. */
public final class SessionEndedException extends RuntimeException {
    public SessionEndedException() {
        super("this viewer session was ended by the operator; request index.m3u8 without ?s= to watch again", null,
                false, false);
    }
}
