package io.jvmroute.balancer.admin;

import java.util.Locale;

/**
 * The status page's words for what the balancer records in its own terms: a worker's state ("down —
 * connection refused" rather than the transport's {@code io_uring connect(..) failed with error(-111)}),
 * times ("2 s ago"), sizes and rates. The raw text stays available (the page's tooltips, the JSON, the log).
 */
final class PlainWords {

    private PlainWords() {
    }

    /** The page's one-word state and its colour class: up, draining, stopped or down. */
    static String state(WorkerStatus w) {
        if (!w.up()) {
            return "down";
        }
        return switch (w.activation()) {
            case "disabled" -> "draining";
            case "stopped" -> "stopped";
            default -> "up";
        };
    }

    /**
     * Why a worker is down, in an operator's words, from the last health check or connect failure. The
     * transports say the same thing differently (io_uring and epoll give errno numbers, NIO Java messages).
     */
    static String why(String raw) {
        String s = raw.toLowerCase(Locale.ROOT);
        if (s.startsWith("http ")) {
            return "health check answered " + raw.substring(5).trim();
        }
        if (s.contains("fail_on_status")) {
            return raw;
        }
        if (s.contains("(-111)") || s.contains("connection refused")) {
            return "connection refused";
        }
        if (s.contains("(-110)") || s.contains("timed out") || s.contains("no answer within") || s.contains("timeout")) {
            return "no answer in time";
        }
        if (s.contains("(-113)") || s.contains("no route to host")) {
            return "host unreachable";
        }
        if (s.contains("(-101)") || s.contains("network is unreachable")) {
            return "network unreachable";
        }
        if (s.contains("(-104)") || s.contains("connection reset")) {
            return "connection reset";
        }
        if (s.contains("closed without an answer")) {
            return "closed the connection without answering";
        }
        if (s.contains("unresolved") || s.contains("unknownhost") || s.contains("name or service not known")) {
            return "host name not found";
        }
        return "unreachable";
    }

    /** {@code state} with its reason when down: "down — connection refused". */
    static String stateText(WorkerStatus w) {
        String state = state(w);
        return state.equals("down") ? "down \u2014 " + why(w.lastCheck()) : state;
    }

    /** "just now", "2 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for 0. */
    static String ago(long thenMillis, long nowMillis) {
        if (thenMillis == 0) {
            return "never";
        }
        long ms = Math.max(0, nowMillis - thenMillis);
        return ms < 1000 ? "just now" : span(ms) + " ago";
    }

    /** "2 s", "5 min", "3 h", "2 d": the coarsest unit that fits. */
    static String span(long ms) {
        long s = ms / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86400) {
            return s / 3600 + " h";
        }
        return s / 86400 + " d";
    }

    /** "512 B", "1.2 kB", "3.4 MB", "1.1 GB" (decimal units). */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    /** A rate with the precision a glance needs: "0", "0.4", "12", "1 250". */
    static String rate(double perSecond) {
        if (perSecond == 0) {
            return "0";
        }
        if (perSecond < 10) {
            return String.format(Locale.ROOT, "%.1f", perSecond);
        }
        return count(Math.round(perSecond));
    }

    /** A count with thin spaces between thousands: "12 345". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', '\u202f');
    }

    /** Milliseconds: "0.4 ms", "12 ms", "1.3 s"; "–" without data. */
    static String millis(double ms) {
        if (ms == 0) {
            return "\u2013";
        }
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    }
}
