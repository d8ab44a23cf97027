package io.jvmroute.membership;

/** What a cluster member says about itself in its membership payload. */
public enum MemberState {
    /** Serves its sessions and takes new ones. */
    ACTIVE(0),
    /** Leaving: peers and the balancer move its users elsewhere and send it no new sessions. */
    DRAINING(1);

    private final int code;

    MemberState(int code) {
        this.code = code;
    }

    /** The byte that stands for this state on the wire; codes never change meaning. */
    int code() {
        return code;
    }

    /** The state for a wire code, or {@code null} for a code this version does not know. */
    static MemberState ofCode(int code) {
        for (MemberState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return null;
    }
}
