package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The request headers besides {@code X-Forwarded-*} and {@code Forwarded} through which proxies and CDNs tell
 * an application who the client is (or which port and server it came to). Applications and Tomcat's
 * {@code RemoteIpValve} variants believe them, so a client must not be able to send its own: from a client that
 * is not a trusted proxy they are dropped, as {@code X-Forwarded-For} is replaced.
 */
final class ClientAddressHeaders {

    /** Lower case; header names are compared without regard to case. */
    private static final byte[][] NAMES = bytes("x-real-ip", "x-forwarded-port", "x-forwarded-server",
            "x-forwarded-ssl", "x-forwarded-scheme", "x-forwarded-prefix", "x-original-forwarded-for",
            "x-client-ip", "x-cluster-client-ip", "true-client-ip", "cf-connecting-ip", "fastly-client-ip",
            "x-proxyuser-ip", "x-url-scheme", "front-end-https", "client-ip");
    private static final int SHORTEST = 9;
    private static final int LONGEST = 24;

    private ClientAddressHeaders() {
    }

    /** Whether the header name at {@code at} ({@code len} bytes) is one of them. */
    static boolean names(ByteBuf src, int at, int len) {
        if (len < SHORTEST || len > LONGEST) {
            return false; // most header names: no comparison at all
        }
        for (byte[] name : NAMES) {
            if (name.length == len && HeadBytes.is(src, at, len, name)) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] bytes(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }
}
