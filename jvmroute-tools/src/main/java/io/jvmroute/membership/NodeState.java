package io.jvmroute.membership;

/**
 * The owner of this node's {@link MemberState} and of the membership payload that publishes it. A node has
 * exactly one: the valve, the cluster's JMX operations and a shutdown's drain all change the state through it,
 * and whoever reads the state asks it, so no two of them can disagree about whether the node is draining.
 *
 * <p>jvmroute's {@code RouteCluster} is one (it publishes the payload with its settings fingerprint); with a
 * stock Tomcat cluster the valve keeps its own. The interface lives here, below both Tomcat modules, so that
 * neither has to know the other: the valve asks its cluster {@code instanceof NodeState}.
 */
public interface NodeState {

    /** The state this node publishes now. */
    MemberState state();

    /**
     * Sets the state and publishes it at once; a no-op when it already is that state.
     *
     * @return whether there was a membership to publish it on (the state is kept either way)
     */
    boolean changeState(MemberState state);
}
