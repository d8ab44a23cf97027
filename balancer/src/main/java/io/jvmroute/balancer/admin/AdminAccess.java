package io.jvmroute.balancer.admin;

import io.jvmroute.config.BalancerSettings;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Who may talk to the admin listener, before any resource is looked at.
 * <ul>
 *   <li>The {@code Host} must be an IP address, {@code localhost} or a name in {@code admin.hosts}: a page on
 *       another site whose DNS name is re-bound to 127.0.0.1 (DNS rebinding) sends its own name and is refused,
 *       so it can neither read the status nor use a token it cannot see anyway.</li>
 *   <li>With {@code admin.token_for_status}, reading (page, JSON, metrics) needs the admin token too.</li>
 * </ul>
 */
final class AdminAccess {

    private AdminAccess() {
    }

    /** Whether {@code hostHeader} (may be null: HTTP/1.0) names this listener acceptably. */
    static boolean hostAllowed(String hostHeader, BalancerSettings settings) {
        if (hostHeader == null) {
            return true; // an HTTP/1.0 client names no host: nothing a rebinding page could send (browsers always do)
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) { // [v6]:port
            return host.indexOf(']') > 1;
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.equals("localhost") || isIpv4(host)) {
            return true;
        }
        for (String allowed : settings.adminHosts()) {
            if (allowed.equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Whether a read may proceed: always, unless {@code admin.token_for_status} asks for the token. */
    static boolean readAllowed(String authorization, BalancerSettings settings) {
        if (!settings.adminTokenForStatus()) {
            return true;
        }
        String token = settings.adminToken().orElse(null);
        if (token == null || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
