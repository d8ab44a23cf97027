package io.jvmroute.balancer.proxy;

/**
 * Takes the session id out of a URI for the access log: {@code /app/;jsessionid=4F2A...9C.jvm1?x} becomes
 * {@code /app/;jsessionid=*.jvm1?x}. A session id in a log file is a logged-in session for whoever reads the
 * file; the route after it is what an operator needs and stays.
 */
final class SessionIdRedaction {

    private SessionIdRedaction() {
    }

    /** {@code uri} with the value of every {@code ;name=} path parameter's id base replaced by {@code *}. */
    static String redact(String uri, String name) {
        int semi = uri.indexOf(';');
        if (semi < 0) {
            return uri; // nearly every request: no copy
        }
        StringBuilder out = null;
        int copied = 0;
        for (int at = semi; at >= 0 && at < uri.length(); at = uri.indexOf(';', at + 1)) {
            int valueStart = at + 1 + name.length() + 1;
            if (valueStart > uri.length() || !uri.regionMatches(true, at + 1, name, 0, name.length())
                    || uri.charAt(at + 1 + name.length()) != '=') {
                continue;
            }
            int valueEnd = valueStart;
            while (valueEnd < uri.length() && "?#;/".indexOf(uri.charAt(valueEnd)) < 0) {
                valueEnd++;
            }
            int dot = uri.indexOf('.', valueStart);
            int baseEnd = dot >= 0 && dot < valueEnd ? dot : valueEnd;
            if (out == null) {
                out = new StringBuilder(uri.length());
            }
            out.append(uri, copied, valueStart).append('*');
            copied = baseEnd;
        }
        return out == null ? uri : out.append(uri, copied, uri.length()).toString();
    }
}
