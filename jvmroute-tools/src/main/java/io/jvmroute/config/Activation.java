package io.jvmroute.config;

/** A worker's activation, as mod_jk's {@code activation} key and jk-status name it. */
public enum Activation {
    /** Takes new sessions and its own sticky ones. */
    ACTIVE,
    /** Only its own sticky sessions, no new ones: how an operator drains a node. */
    DISABLED,
    /** Nothing at all. */
    STOPPED;

    /** mod_jk accepts the word or its first letter, in any case ({@code A}, {@code disabled}, {@code S}). */
    static Activation parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        for (Activation a : values()) {
            String name = a.name().toLowerCase(java.util.Locale.ROOT);
            if (v.equals(name) || v.equals(name.substring(0, 1))) {
                return a;
            }
        }
        throw new IllegalArgumentException(value + " (expected: active, disabled or stopped)");
    }
}
