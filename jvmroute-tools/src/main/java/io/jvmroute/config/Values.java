package io.jvmroute.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parsers for the value types of the properties files; each failure names what was expected. */
final class Values {

    private Values() {
    }

    static int parsePort(String text) {
        return checkPort(parseInt(text, "a port 1-65535"));
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(port + " (expected: a port 1-65535)");
        }
        return port;
    }

    static int parseInt(String text, String expected) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " (expected: " + expected + ")");
        }
    }

    static int parseInt(String text, int min, int max) {
        int value = parseInt(text, "an integer " + min + "-" + max);
        if (value < min || value > max) {
            throw new IllegalArgumentException(text + " (expected: an integer " + min + "-" + max + ")");
        }
        return value;
    }

    /** mod_jk's booleans: true/false, 1/0, yes/no, on/off, in any case. */
    static boolean parseBoolean(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "t", "y":
                return true;
            case "false", "0", "no", "off", "f", "n":
                return false;
            default:
                throw new IllegalArgumentException(text + " (expected: true or false)");
        }
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m}; a bare number is milliseconds, as in mod_jk. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim())), text);
            } else if (t.endsWith("s")) {
                return positive(Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim())), text);
            } else if (t.endsWith("m")) {
                return positive(Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim())), text);
            }
            return positive(Duration.ofMillis(Long.parseLong(t)), text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " (expected: a duration such as 250ms, 2s or 1m)");
        }
    }

    /** mod_jk's second-based keys ({@code connection_ping_interval}): a bare number is seconds, 0 allowed. */
    static Duration parseSeconds(String text) {
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(parseInt(t, 0, 86_400));
        }
        return parseDuration(text);
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(text + " (expected: a duration above zero)");
        }
        return d;
    }

    /** A comma- or blank-separated list without empty items. */
    static List<String> parseList(String text) {
        List<String> out = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                out.add(item);
            }
        }
        return out;
    }
}
