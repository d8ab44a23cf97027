package io.jvmroute.replication;

import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.ha.ClusterMessageBase;
import org.apache.catalina.ha.session.SessionMessage;

/**
 * Several session messages of one replication lane, in the order they were produced, travelling as one Tribes
 * message: one frame, one acknowledgement. The receiving {@link RouteCluster} unpacks them in order.
 */
final class SessionMessageBatch extends ClusterMessageBase {

    private static final long serialVersionUID = 1L;

    private final ArrayList<SessionMessage> messages;
    private final String uniqueId;

    SessionMessageBatch(List<SessionMessage> messages) {
        this.messages = new ArrayList<>(messages);
        this.uniqueId = "batch-" + messages.get(0).getUniqueId() + "+" + (messages.size() - 1);
    }

    List<SessionMessage> messages() {
        return messages;
    }

    @Override
    public String getUniqueId() {
        return uniqueId;
    }
}
