package io.jvmroute.balancer.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed ({@code
 * balancer.trusted_proxies}): single addresses or CIDR blocks, IPv4 or IPv6, given as literals (never
 * resolved through DNS). From anyone else those headers are replaced, so a client cannot forge its address.
 */
public final class TrustedProxies {

    private record Block(byte[] address, int prefix) {
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    public static TrustedProxies parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            String literal = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(literal, entry);
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("balancer.trusted_proxies: " + entry
                            + " (expected: a prefix length 0-" + address.length * 8 + ")");
                }
            }
            blocks.add(new Block(address, prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    private static byte[] literal(String literal, String entry) {
        boolean looksLiteral = !literal.isEmpty() && literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!looksLiteral) {
            throw new IllegalArgumentException("balancer.trusted_proxies: " + entry + " (expected: an IP address or CIDR block)");
        }
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("balancer.trusted_proxies: " + entry + " (expected: an IP address or CIDR block)");
        }
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean trusts(InetAddress peer) {
        byte[] a = peer.getAddress();
        for (Block b : blocks) {
            if (b.address.length == a.length && samePrefix(a, b.address, b.prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (a[full] & mask) == (b[full] & mask);
    }
}
