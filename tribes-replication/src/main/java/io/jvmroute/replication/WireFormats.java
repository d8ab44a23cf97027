package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberPayload.Formats;
import org.apache.catalina.tribes.Member;

/**
 * The replication wire format versions, and which one a node speaks: the one owner of that fact. A node
 * publishes the versions it reads and writes in its member payload ({@link MemberPayload.Formats}); it sends in
 * the newest version every live peer reads (the least of the peers' highest versions, capped by its own), and
 * reads every version it publishes. So a rolling upgrade keeps replicating: the new jar speaks the old format
 * until the last old node has left, then the new one.
 *
 * <p>Versions:
 * <ul>
 *   <li>1: serialized {@code SessionMessageImpl} lists and Tomcat's serialized deltas (before jvmroute 0.x's
 *       compact format; not spoken any more).</li>
 *   <li>2: {@link LaneFrame} byte frames ({@code 'J' 'L' 1}) carrying {@link CompactDeltaOutput} deltas. Members
 *       from before negotiation publish no versions and speak exactly this one.</li>
 * </ul>
 * A new version adds its encoder and decoder beside the old ones (the old stay until no supported release
 * speaks them) and raises {@link #SUPPORTED}'s max.
 */
final class WireFormats {

    /** What this release reads and writes. */
    static final Formats SUPPORTED = new Formats(2, 2);
    /** What a member that publishes no versions speaks: the release that introduced the fingerprint {@code v2}. */
    static final Formats UNANNOUNCED = new Formats(2, 2);

    private final Formats local;

    WireFormats(Formats local) {
        this.local = local;
    }

    Formats local() {
        return local;
    }

    /** The versions a peer publishes; those of the release before negotiation when it publishes none. */
    static Formats of(Member peer) {
        MemberPayload payload = MemberPayload.decode(peer.getPayload()).payloadOrNull();
        return payload == null || payload.formats() == null ? UNANNOUNCED : payload.formats();
    }

    /**
     * The version to send to {@code peers}: the newest one all of them and this node read. A peer with no version
     * in common was refused at start or logged as unsafe when it joined ({@link #problem}); it is not allowed to
     * pull the others below this node's lowest version.
     */
    int negotiate(Member[] peers) {
        int version = local.max();
        for (Member peer : peers) {
            Formats theirs = of(peer);
            if (theirs.max() < version && theirs.max() >= local.min()) {
                version = theirs.max();
            }
        }
        return version;
    }

    /** Why this node cannot replicate with a peer that speaks {@code theirs}, or {@code null}. */
    String problem(Formats theirs) {
        if (theirs.max() < local.min() || theirs.min() > local.max()) {
            return "speaks replication formats " + theirs.min() + ".." + theirs.max() + ", this node "
                    + local.min() + ".." + local.max()
                    + " (expected: an overlap; upgrade one release at a time so every node shares a format)";
        }
        return null;
    }
}
