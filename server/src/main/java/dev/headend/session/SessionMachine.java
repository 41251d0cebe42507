package dev.headend.session;

import java.util.Optional;

/**
 * The life of one viewer session, as a pure state machine (no clock, no I/O): {@code created ->
 * active <-> idle -> disconnected}; a failed delivery moves any live state to {@code error},
 * a delivery recovers it to {@code active}, and {@value #MAX_ERRORS} failures in a row
 * disconnect it.
 *
 * <p>Invariants: {@code disconnected} is final; every method returns the transition it made,
 * or empty when the state stayed as it was; not thread-safe (its session guards it).
 */
public final class SessionMachine {
    /** Failed deliveries in a row after which a session is disconnected. */
    public static final int MAX_ERRORS = 3;

    /** One change of state. */
    public record Transition(SessionState from, SessionState to) {}

    private SessionState state = SessionState.CREATED;
    private int failuresInARow;

    public SessionState state() {
        return state;
    }

    /** The viewer received media: {@code created}, {@code idle} and {@code error} become {@code active}. */
    public Optional<Transition> delivered() {
        if (state == SessionState.DISCONNECTED) {
            return Optional.empty();
        }
        failuresInARow = 0;
        return move(SessionState.ACTIVE);
    }

    /** The viewer received nothing for the quiet time: {@code created} and {@code active} become {@code idle}. */
    public Optional<Transition> quiet() {
        if (state == SessionState.CREATED || state == SessionState.ACTIVE) {
            return move(SessionState.IDLE);
        }
        return Optional.empty();
    }

    /** A delivery failed: {@code error}, or {@code disconnected} after {@value #MAX_ERRORS} in a row. */
    public Optional<Transition> failed() {
        if (state == SessionState.DISCONNECTED) {
            return Optional.empty();
        }
        failuresInARow++;
        return move(failuresInARow >= MAX_ERRORS ? SessionState.DISCONNECTED : SessionState.ERROR);
    }

    /** The session ends, whatever its state. */
    public Optional<Transition> end() {
        return move(SessionState.DISCONNECTED);
    }

    private Optional<Transition> move(SessionState next) {
        if (state == next || state == SessionState.DISCONNECTED) {
            return Optional.empty();
        }
        Transition t = new Transition(state, next);
        state = next;
        return Optional.of(t);
    }
}
