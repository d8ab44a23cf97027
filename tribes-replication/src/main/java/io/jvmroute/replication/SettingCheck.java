package io.jvmroute.replication;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses the attributes server.xml gives {@link RouteCluster} and {@link RouteManager}, and keeps every value it
 * refused until the component starts, which then fails with the first one as a single line
 * ({@code lanes: eight (expected: 1..64)}).
 *
 * <p>Why not throw from the setter: Tomcat's Digester only logs a setter's exception (or a number it cannot
 * convert, or any boolean that is not {@code true}) and goes on with the default, so a typo would silently run
 * with the default. The setters therefore take the attribute's text, and a refused value keeps the previous one
 * until the start says what to fix.
 */
final class SettingCheck {

    /** Attribute name to its refusal; insertion-ordered, so the first typo in server.xml is the one reported. */
    private final Map<String, String> refused = new LinkedHashMap<>();

    /** A whole number in {@code min..max}, or {@code fallback} when refused. */
    long number(String attribute, String text, long min, long max, String expected, long fallback) {
        String value = text == null ? "" : text.strip();
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                refused.remove(attribute);
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below, with the text as given
        }
        return refuse(attribute, text, expected, fallback);
    }

    int integer(String attribute, String text, int min, int max, String expected, int fallback) {
        return (int) number(attribute, text, min, max, expected, fallback);
    }

    /** {@code true} or {@code false} (any case), or {@code fallback} when refused. */
    boolean bool(String attribute, String text, boolean fallback) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            refused.remove(attribute);
            return value.equals("true");
        }
        return refuse(attribute, text, "true or false", fallback);
    }

    /** One of {@code allowed}, exactly as written, or {@code fallback} when refused. */
    String oneOf(String attribute, String text, Set<String> allowed, String expected, String fallback) {
        if (allowed.contains(text)) {
            refused.remove(attribute);
            return text;
        }
        return refuse(attribute, text, expected, fallback);
    }

    /**
     * A value {@code parser} accepts; it throws {@link IllegalArgumentException} with a one-line message naming the
     * attribute, which is kept as the refusal.
     */
    <T> T parsed(String attribute, String text, Function<String, T> parser, T fallback) {
        try {
            T value = parser.apply(text);
            refused.remove(attribute);
            return value;
        } catch (IllegalArgumentException e) {
            refused.put(attribute, e.getMessage());
            return fallback;
        }
    }

    <T> T refuse(String attribute, String text, String expected, T fallback) {
        refused.put(attribute, attribute + ": " + text + " (expected: " + expected + ")");
        return fallback;
    }

    /** A comma-separated list of names, blanks dropped. */
    static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : text.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return Set.copyOf(names);
    }

    /** For a setting changed while running (JMX), where no start follows to report it. */
    void throwIfRefused(String attribute) {
        String problem = refused.remove(attribute);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The first refused value as one line, or {@code null} when every setting was accepted. */
    String firstProblem() {
        return refused.values().stream().findFirst().orElse(null);
    }
}
