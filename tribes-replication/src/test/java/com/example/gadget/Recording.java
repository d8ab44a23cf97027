package com.example.gadget;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class that records its own deserialization, as a gadget's side effect would: every {@code readObject}
 * increments {@link #READS}. Nothing in jvmroute's default allow-list matches it.
 */
public final class Recording implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How many instances were deserialized in this JVM. */
    public static final AtomicInteger READS = new AtomicInteger();

    private final String note;

    public Recording(String note) {
        this.note = note;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        READS.incrementAndGet();
    }

    @Override
    public String toString() {
        return "Recording(" + note + ")";
    }
}
