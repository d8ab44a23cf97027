package io.jvmroute.membership;

import io.jvmroute.route.SessionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a node's valve tells a trusted balancer about the cluster, as its cluster endpoint answers it: every
 * member's route, state and front addresses, and how many sessions still point at the answering node. The one
 * owner of that text format: the valve writes it, the balancer reads it. Plain lines of words, parsed with
 * limits and never deserialized:
 *
 * <pre>
 *   jvmroute-cluster 1
 *   self n1 sessions=12
 *   member n1 active http=10.0.0.1:8080 ajp=10.0.0.1:8009 fingerprint=3f2a9c
 *   member n2 draining http=10.0.0.2:8080 fingerprint=3f2a9c
 * </pre>
 *
 * {@code sessions} counts the sessions the answering node holds whose id still carries its route: the users
 * that would still be sent to it. Unknown words after a member's fields are skipped (later versions may add
 * fields); a different first line is refused.
 *
 * @param self         the answering node's route
 * @param selfSessions sessions on it whose id carries its route
 * @param members      every member the node knows, itself included, in route order
 */
public record ClusterReport(String self, long selfSessions, List<Member> members) {

    /** The first line of this version's format. */
    public static final String HEADER = "jvmroute-cluster 1";
    /** Longest answer read; anything longer is refused unread. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** Most members read. */
    public static final int MAX_MEMBERS = 256;

    public ClusterReport {
        Objects.requireNonNull(self, "self");
        members = List.copyOf(members);
    }

    /**
     * One member as the answering node sees it.
     *
     * @param http        its HTTP front address ({@code host:port}), or the empty string when it publishes none
     * @param ajp         its AJP front address, or the empty string
     * @param fingerprint the digest of its cluster settings it publishes, or the empty string
     */
    public record Member(String route, MemberState state, String http, String ajp, String fingerprint) {
        public Member {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(ajp, "ajp");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        /** A member that publishes no settings fingerprint (a stock cluster's). */
        public Member(String route, MemberState state, String http, String ajp) {
            this(route, state, http, ajp, "");
        }

        /** The member a payload describes. */
        public static Member of(MemberPayload payload) {
            return new Member(payload.route(), payload.state(), payload.http(), payload.ajp(), payload.fingerprint());
        }
    }

    /** The member with this route, or {@code null}. */
    public Member member(String route) {
        for (Member m : members) {
            if (m.route().equals(route)) {
                return m;
            }
        }
        return null;
    }

    /** The text the endpoint answers. */
    public String format() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("self ").append(self).append(" sessions=").append(selfSessions).append('\n');
        for (Member m : members) {
            sb.append("member ").append(m.route()).append(' ').append(m.state().name().toLowerCase(Locale.ROOT));
            if (!m.http().isEmpty()) {
                sb.append(" http=").append(m.http());
            }
            if (!m.ajp().isEmpty()) {
                sb.append(" ajp=").append(m.ajp());
            }
            if (!m.fingerprint().isEmpty()) {
                sb.append(" fingerprint=").append(m.fingerprint());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads an endpoint's answer. Never throws: anything malformed gives a {@link Parsed} whose problem says what
     * was wrong, and the reader keeps what it knew before.
     */
    public static Parsed parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Parsed.failed("answer of " + (text == null ? 0 : text.length()) + " characters (expected: 1-" + MAX_LENGTH + ")");
        }
        String[] lines = text.split("\n", MAX_MEMBERS + 3);
        if (!lines[0].strip().equals(HEADER)) {
            return Parsed.failed("not a jvmroute cluster report (first line '" + shorten(lines[0]) + "', expected '" + HEADER + "')");
        }
        String self = null;
        long sessions = -1;
        List<Member> members = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split(" +");
            if (words[0].equals("self") && words.length >= 3 && words[2].startsWith("sessions=")) {
                self = words[1];
                sessions = count(words[2].substring(9));
                if (SessionId.checkRoute(self) != null || sessions < 0) {
                    return Parsed.failed("line " + (i + 1) + ": bad self line '" + shorten(line) + "'");
                }
            } else if (words[0].equals("member") && words.length >= 3) {
                Member m = member(words);
                if (m == null) {
                    return Parsed.failed("line " + (i + 1) + ": bad member line '" + shorten(line) + "'");
                }
                if (members.size() == MAX_MEMBERS) {
                    return Parsed.failed("more than " + MAX_MEMBERS + " members");
                }
                members.add(m);
            } else if (!words[0].startsWith("#")) {
                return Parsed.failed("line " + (i + 1) + ": unknown line '" + shorten(line) + "'");
            }
        }
        if (self == null) {
            return Parsed.failed("no self line (expected: self ROUTE sessions=N)");
        }
        return new Parsed(new ClusterReport(self, sessions, members), null);
    }

    private static Member member(String[] words) {
        String route = words[1];
        MemberState state = null;
        for (MemberState s : MemberState.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(words[2])) {
                state = s;
            }
        }
        if (state == null || SessionId.checkRoute(route) != null) {
            return null;
        }
        String http = "";
        String ajp = "";
        String fingerprint = "";
        for (int w = 3; w < words.length; w++) {
            if (words[w].startsWith("http=")) {
                http = words[w].substring(5);
            } else if (words[w].startsWith("ajp=")) {
                ajp = words[w].substring(4);
            } else if (words[w].startsWith("fingerprint=")) {
                fingerprint = words[w].substring(12);
            }
        }
        if ((!http.isEmpty() && !MemberPayload.isFront(http)) || (!ajp.isEmpty() && !MemberPayload.isFront(ajp))) {
            return null;
        }
        try {
            return new Member(route, state, http, ajp, new MemberPayload(route, state, fingerprint).fingerprint());
        } catch (IllegalArgumentException e) { // a fingerprint the payload would refuse
            return null;
        }
    }

    private static long count(String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /**
     * The outcome of {@link #parse}: a report, or why the answer was refused.
     *
     * @param reportOrNull the report, or {@code null} when {@code problem} is set
     * @param problem      why the answer was refused, or {@code null}
     */
    public record Parsed(ClusterReport reportOrNull, String problem) {
        static Parsed failed(String problem) {
            return new Parsed(null, problem);
        }

        public boolean isOk() {
            return reportOrNull != null;
        }
    }
}
