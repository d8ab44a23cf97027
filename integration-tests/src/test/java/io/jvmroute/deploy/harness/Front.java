package io.jvmroute.deploy.harness;

/** The balancers the suite puts in front of the nodes: ours and the two that operators already run. */
public enum Front {
    /** jvmroute's balancer, running from the distribution's {@code bin/jvmroute} on the workers.properties gen wrote. */
    JVMROUTE("jvmroute"),
    /** Apache httpd + Debian's libapache2-mod-jk, the seed's setup: lb worker wlb, sticky_session=1, AJP with secret. */
    APACHE_MOD_JK("apache+mod_jk"),
    /** HAProxy choosing the server by the jvmRoute suffix of JSESSIONID. */
    HAPROXY("haproxy");

    private final String label;

    Front(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The label, so that parameterized tests are named by it (and the matrix finds their failures). */
    @Override
    public String toString() {
        return label;
    }
}
