package io.jvmroute.replication;

import java.io.IOException;
import org.apache.catalina.ha.session.DeltaRequest;

/**
 * A {@link DeltaRequest} that serializes itself in the compact format of {@link CompactDeltaOutput} instead of
 * through an {@code ObjectOutputStream}; {@link RouteSession} creates only these, and reads both formats.
 */
final class RouteDeltaRequest extends DeltaRequest {

    private static final long serialVersionUID = 1L;

    RouteDeltaRequest(String sessionId, boolean recordAllActions) {
        super(sessionId, recordAllActions);
    }

    @Override
    protected byte[] serialize() throws IOException {
        CompactDeltaOutput out = new CompactDeltaOutput();
        writeExternal(out);
        return out.toByteArray();
    }
}
