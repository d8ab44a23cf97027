package io.jvmroute.replication;

/** JMX view of the {@link MetricsInterceptor} that Tribes registers with each interceptor of a channel. */
public interface MetricsInterceptorMBean {

    /** One line per peer, as {@link RouteCluster#getPeerMetrics()}. */
    String[] getPeers();
}
