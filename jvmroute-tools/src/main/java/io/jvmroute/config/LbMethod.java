package io.jvmroute.config;

import java.util.Locale;

/** How an lb worker picks a worker for a request without a usable route (mod_jk {@code method}). */
public enum LbMethod {
    /** Weighted round robin over requests: mod_jk's default. */
    REQUEST,
    /** Fewest requests in flight, weighted. */
    BUSYNESS,
    /** Fewest new sessions started, weighted. */
    SESSION;

    /** mod_jk accepts the word or its first letter in any case; Traffic and Next are not supported. */
    static LbMethod parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (LbMethod m : values()) {
            String name = m.name().toLowerCase(Locale.ROOT);
            if (v.equals(name) || v.equals(name.substring(0, 1))) {
                return m;
            }
        }
        throw new IllegalArgumentException(value + " (expected: Request, Busyness or Session;"
                + " mod_jk's Traffic and Next are not supported)");
    }
}
