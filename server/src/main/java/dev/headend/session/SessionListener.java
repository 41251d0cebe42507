package dev.headend.session;

/** Told when a viewer session begins and ends (the event log subscribes here). Called without the registry's lock. */
public interface SessionListener {
    /** No listener. */
    SessionListener NONE = new SessionListener() {
        @Override
        public void started(ViewerSession session) {}

        @Override
        public void ended(ViewerSession session) {}
    };

    /** A session was opened (once per session). */
    void started(ViewerSession session);

    /** The session ended, whatever ended it (once per session). */
    void ended(ViewerSession session);
}
