package io.jvmroute.config;

import java.util.Objects;
import java.util.Set;

/**
 * One backend worker (a Tomcat node) as {@code worker.<name>.*} describes it.
 *
 * @param name         the worker's name, as listed in {@code balance_workers}
 * @param type         {@code ajp13} (mod_jk's) or {@code http} (jvmroute's extension)
 * @param host         the node's host
 * @param port         the {@code port} key: AJP for {@code ajp13}, HTTP for {@code http}
 * @param httpPort     the node's HTTP port when the balancer speaks HTTP to it: {@code port} for {@code http}
 *                     workers, the {@code http_port} extension key for {@code ajp13} ones; -1 for an
 *                     {@code ajp13} worker without it, which the balancer speaks AJP13 to
 * @param lbfactor     weight in balancing, 1 or more
 * @param activation   active, disabled (draining) or stopped
 * @param route        the route in session ids that belongs to this worker; defaults to the name
 * @param domain       the group of workers that can take over each other's sessions, or empty
 * @param redirect     the worker (by name or route) to try first when this one is unusable, or empty
 * @param distance     lower distances are preferred in balancing (mod_jk), 0 by default
 * @param failOnStatus backend statuses that count as a failure of the worker (passive detection)
 * @param line         the first line that mentioned this worker, for messages
 * @param ajp          the AJP connection's options (secret, CPing), used when the balancer speaks AJP13
 */
public record WorkerDef(String name, String type, String host, int port, int httpPort, int lbfactor,
                        Activation activation, String route, String domain, String redirect, int distance,
                        Set<Integer> failOnStatus, int line, AjpOptions ajp) {

    public static final String AJP13 = "ajp13";
    public static final String HTTP = "http";

    public WorkerDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(redirect, "redirect");
        failOnStatus = Set.copyOf(failOnStatus);
        Objects.requireNonNull(ajp, "ajp");
    }

    /** A worker with mod_jk's AJP defaults (no secret, no CPing). */
    public WorkerDef(String name, String type, String host, int port, int httpPort, int lbfactor, Activation activation,
                     String route, String domain, String redirect, int distance, Set<Integer> failOnStatus, int line) {
        this(name, type, host, port, httpPort, lbfactor, activation, route, domain, redirect, distance, failOnStatus,
                line, AjpOptions.DEFAULTS);
    }

    /** A plain HTTP worker with defaults, as the {@code --worker name=host:port} flag describes it. */
    public static WorkerDef http(String name, HostPort address) {
        return new WorkerDef(name, HTTP, address.host(), address.port(), address.port(), 1, Activation.ACTIVE,
                name, "", "", 0, Set.of(), 0);
    }

    /**
     * Whether the balancer speaks AJP13 to this node: an {@code ajp13} worker without the {@code http_port}
     * key (with it, the balancer keeps speaking HTTP to that port, as before it spoke AJP).
     */
    public boolean speaksAjp() {
        return httpPort < 0;
    }

    /** The protocol the balancer speaks to the node: {@code ajp13} or {@code http} (status page, metrics). */
    public String protocol() {
        return speaksAjp() ? AJP13 : HTTP;
    }

    /** The address the balancer connects to: the AJP port, or the HTTP port. */
    public HostPort address() {
        return new HostPort(host, speaksAjp() ? port : httpPort);
    }

    /** The address the balancer sends HTTP to; only for workers that do not {@link #speaksAjp}. */
    public HostPort httpAddress() {
        if (speaksAjp()) {
            throw new IllegalStateException("worker " + name + " is spoken to in AJP13, on port " + port);
        }
        return new HostPort(host, httpPort);
    }

    /** The same worker with another activation (admin actions). */
    public WorkerDef withActivation(Activation newActivation) {
        return new WorkerDef(name, type, host, port, httpPort, lbfactor, newActivation, route, domain, redirect,
                distance, failOnStatus, line, ajp);
    }
}
