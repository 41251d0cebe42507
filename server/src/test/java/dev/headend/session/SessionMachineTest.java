package dev.headend.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.session.SessionMachine.Transition;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session state machine: every move it makes and every one it refuses. */
class SessionMachineTest {
    private final SessionMachine m = new SessionMachine();

    private static Optional<Transition> move(SessionState from, SessionState to) {
        return Optional.of(new Transition(from, to));
    }

    @Test
    void aSessionIsCreatedThenActiveAndIdleInTurnsUntilItEnds() {
        assertThat(m.state()).isEqualTo(SessionState.CREATED);
        assertThat(m.delivered()).isEqualTo(move(SessionState.CREATED, SessionState.ACTIVE));
        assertThat(m.delivered()).as("active stays active").isEmpty();
        assertThat(m.quiet()).isEqualTo(move(SessionState.ACTIVE, SessionState.IDLE));
        assertThat(m.quiet()).isEmpty();
        assertThat(m.delivered()).isEqualTo(move(SessionState.IDLE, SessionState.ACTIVE));
        assertThat(m.quiet()).isEqualTo(move(SessionState.ACTIVE, SessionState.IDLE));
        assertThat(m.end()).isEqualTo(move(SessionState.IDLE, SessionState.DISCONNECTED));
    }

    @Test
    void aSessionThatNeverReceivesMediaGoesIdle() {
        assertThat(m.quiet()).isEqualTo(move(SessionState.CREATED, SessionState.IDLE));
    }

    @Test
    void anErrorRecoversToActiveOnTheNextDelivery() {
        m.delivered();
        assertThat(m.failed()).isEqualTo(move(SessionState.ACTIVE, SessionState.ERROR));
        assertThat(m.quiet()).as("an error is not idle").isEmpty();
        assertThat(m.delivered()).isEqualTo(move(SessionState.ERROR, SessionState.ACTIVE));
    }

    @Test
    void repeatedErrorsDisconnectAndOnlyErrorsInARowCount() {
        for (int i = 1; i < SessionMachine.MAX_ERRORS; i++) {
            m.failed();
        }
        m.delivered();
        for (int i = 1; i < SessionMachine.MAX_ERRORS; i++) {
            m.failed();
        }
        assertThat(m.state()).isEqualTo(SessionState.ERROR);

        assertThat(m.failed()).isEqualTo(move(SessionState.ERROR, SessionState.DISCONNECTED));
    }

    @Test
    void disconnectedIsFinal() {
        assertThat(m.end()).isEqualTo(move(SessionState.CREATED, SessionState.DISCONNECTED));
        assertThat(m.delivered()).isEmpty();
        assertThat(m.quiet()).isEmpty();
        assertThat(m.failed()).isEmpty();
        assertThat(m.end()).isEmpty();
        assertThat(m.state()).isEqualTo(SessionState.DISCONNECTED);
    }
}
