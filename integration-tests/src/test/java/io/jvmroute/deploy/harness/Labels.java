package io.jvmroute.deploy.harness;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Names and labels of what one checkout's tier creates in Docker. With Ryuk off nothing removes a crashed run's
 * containers, so every container and network carries the owner label (a hash of this checkout's work folder):
 * the next run of the same checkout removes its leftovers first, and never touches another checkout's.
 */
record Labels(String owner, String cluster) {

    static final String OWNER = "io.jvmroute.it.owner";

    static Labels of(String cluster) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(Distribution.work().toString().getBytes(StandardCharsets.UTF_8));
            return new Labels(HexFormat.of().formatHex(hash, 0, 6), cluster);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> map() {
        return Map.of(OWNER, owner, "io.jvmroute.it.cluster", cluster);
    }

    String containerName(String role) {
        return "jvmroute-it-" + owner + "-" + cluster + "-" + role;
    }

    String networkName() {
        return "jvmroute-it-" + owner + "-" + cluster;
    }
}
