package io.jvmroute.replication.secure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The Tribes unique id of the member of a route: SHA-256 of the route, truncated to 16 bytes, the same on every
 * node. The one owner of that rule: the channel names its members by it, and the receiver checks that a frame's
 * sender id is the id of the route its certificate names.
 */
public final class MemberIds {

    private MemberIds() {
    }

    public static byte[] of(String route) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(route.getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
