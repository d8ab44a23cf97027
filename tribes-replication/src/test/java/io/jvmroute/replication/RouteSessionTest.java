package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Tomcat calls {@code setNew(false)} on every request that joins a session; a RouteSession records it in the
 * delta only when it differs from what the peers were last given, so a session-writing request's delta carries
 * its attributes and nothing else.
 */
class RouteSessionTest {

    @Test
    void isNewIsRecordedOnlyWhenItChangesForThePeers() {
        RouteSession session = new RouteSession(new RouteManager());
        session.setValid(true);
        session.setId("abc.jvm1", false);

        session.setNew(true);
        assertThat(session.isDirty()).as("a new session: the peers must hear it").isTrue();
        session.resetDeltaRequest();

        session.setNew(true);
        assertThat(session.isDirty()).as("the same again").isFalse();

        session.setNew(false);
        assertThat(session.isDirty()).as("no longer new").isTrue();
        session.resetDeltaRequest();

        session.setNew(false);
        session.setNew(false);
        assertThat(session.isDirty()).as("every later request joining it").isFalse();
    }

    @Test
    void aValueAppliedFromThePrimaryIsWhatThePeersHave() {
        RouteSession session = new RouteSession(new RouteManager());
        session.setValid(true);
        session.setId("abc.jvm1", false);

        session.setNew(false, false); // as a peer's delta applies it: the other peers got the same
        session.setNew(false);
        assertThat(session.isDirty()).isFalse();
        session.setNew(true);
        assertThat(session.isDirty()).isTrue();
    }
}
