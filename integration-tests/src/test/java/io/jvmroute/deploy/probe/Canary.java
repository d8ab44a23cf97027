package io.jvmroute.deploy.probe;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A tripwire: the suite puts this class on every node's class path ({@code CATALINA_BASE/lib}) so that a
 * deserialization of what the prober sends would be seen — it says so on the node's console when read.
 */
public final class Canary implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String TRIPPED = "CANARY DESERIALIZED";

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        System.out.println(TRIPPED);
        System.err.println(TRIPPED);
    }
}
