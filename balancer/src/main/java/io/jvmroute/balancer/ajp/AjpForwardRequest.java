package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;

import java.nio.charset.StandardCharsets;

/**
 * A client request as AJP13's FORWARD_REQUEST, written once per request ({@link Builder}) and turned into a
 * packet per attempt ({@link #packet}): what differs between workers (their secret, route and activation)
 * and the failover header are added then, the rest is copied as it is.
 *
 * <p>Layout (Tomcat's {@code AjpProcessor.prepareRequest}): type, method code, protocol, request URI, remote
 * address, remote host, server name, server port, is_ssl, header count, headers (coded names for the 14 common
 * ones), attributes, 0xFF. Strings are length, bytes, NUL.
 */
public final class AjpForwardRequest extends AbstractReferenceCounted {

    /** The request does not fit in one packet of the worker's {@code max_packet_size}. */
    public static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    private final ByteBuf fixed;
    private final int headerCount;
    private final ByteBuf headers;
    private final ByteBuf attributes;
    /** The body's length: -1 when unknown (chunked), 0 when there is none. */
    final long contentLength;
    /** A HEAD request: the response has no body whatever its headers say. */
    final boolean headRequest;

    private AjpForwardRequest(Builder b) {
        this.fixed = b.fixed;
        this.headerCount = b.headerCount;
        this.headers = b.headers;
        this.attributes = b.attributes;
        this.contentLength = b.contentLength;
        this.headRequest = b.headRequest;
    }

    /**
     * The FORWARD_REQUEST packet for one attempt.
     *
     * @param secret         the worker's {@code secret}, or null
     * @param route          the worker's route (mod_jk's {@code SC_A_JVM_ROUTE})
     * @param activation     mod_jk's {@code JK_LB_ACTIVATION}: ACT, DIS (Tomcat's LoadBalancerDrainingValve drains
     *                       on it) or STP
     * @param failoverName   the failover header's name
     * @param movedFromRoute its value when the request moved off its route, else null (no header)
     * @param maxPacketSize  the worker's {@code max_packet_size}
     */
    public AjpRequestStart packet(ByteBufAllocator alloc, String secret, String route, String activation, String failoverName,
                          String movedFromRoute, int maxPacketSize) throws TooLargeException {
        ByteBuf out = alloc.buffer(fixed.readableBytes() + headers.readableBytes() + attributes.readableBytes() + 128);
        out.writeShort(AjpProtocol.TO_CONTAINER).writeShort(0);
        out.writeByte(AjpProtocol.FORWARD_REQUEST);
        out.writeBytes(fixed, fixed.readerIndex(), fixed.readableBytes());
        out.writeShort(headerCount + (movedFromRoute != null ? 1 : 0));
        out.writeBytes(headers, headers.readerIndex(), headers.readableBytes());
        if (movedFromRoute != null) {
            string(out, failoverName);
            string(out, movedFromRoute);
        }
        out.writeBytes(attributes, attributes.readerIndex(), attributes.readableBytes());
        if (secret != null) {
            out.writeByte(AjpProtocol.A_SECRET);
            string(out, secret);
        }
        out.writeByte(AjpProtocol.A_JVM_ROUTE);
        string(out, route);
        out.writeByte(AjpProtocol.A_REQ_ATTRIBUTE);
        string(out, "JK_LB_ACTIVATION");
        string(out, activation);
        out.writeByte(AjpProtocol.A_ARE_DONE);
        int length = out.readableBytes() - AjpProtocol.PACKET_HEADER;
        if (length > maxPacketSize - AjpProtocol.PACKET_HEADER) {
            out.release();
            throw new TooLargeException("the request head takes " + (length + AjpProtocol.PACKET_HEADER)
                    + " bytes in AJP13, more than the worker's max_packet_size " + maxPacketSize);
        }
        return new AjpRequestStart(out.setShort(2, length), contentLength, headRequest);
    }

    @Override
    protected void deallocate() {
        fixed.release();
        headers.release();
        attributes.release();
    }

    @Override
    public AjpForwardRequest touch(Object hint) {
        return this;
    }

    static void string(ByteBuf out, CharSequence s) {
        int at = out.writerIndex();
        out.writeShort(0);
        // ISO-8859-1 as Tomcat reads it back: texts taken from the client's bytes (the URI) go back unchanged
        int n = out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        out.setShort(at, n);
        out.writeByte(0);
    }

    private static void bytes(ByteBuf out, ByteBuf src, int index, int length) {
        out.writeShort(length);
        out.writeBytes(src, index, length);
        out.writeByte(0);
    }

    /** Writes a request's fixed part, headers and attributes, in AJP13's order. */
    public static final class Builder {
        private final ByteBuf fixed;
        private final ByteBuf headers;
        private final ByteBuf attributes;
        private int headerCount;
        private long contentLength;
        private boolean headRequest;
        private boolean fixedDone;

        public Builder(ByteBufAllocator alloc) {
            fixed = alloc.buffer(256);
            headers = alloc.buffer(1024);
            attributes = alloc.buffer(64);
        }

        /**
         * The request line and the connection's facts (the fixed part, first).
         *
         * @param uri the request target's path (without its query), as the client sent it
         */
        public Builder request(String method, boolean http10, CharSequence uri, String remoteAddr, String remoteHost,
                               String serverName, int serverPort, boolean ssl) {
            int code = AjpProtocol.methodCode(method);
            fixed.writeByte(code == 0 ? AjpProtocol.M_STORED : code);
            string(fixed, http10 ? "HTTP/1.0" : "HTTP/1.1");
            string(fixed, uri);
            string(fixed, remoteAddr);
            string(fixed, remoteHost);
            string(fixed, serverName);
            fixed.writeShort(serverPort);
            fixed.writeByte(ssl ? 1 : 0);
            if (code == 0) {
                attributes.writeByte(AjpProtocol.A_STORED_METHOD);
                string(attributes, method);
            }
            headRequest = "HEAD".equals(method);
            fixedDone = true;
            return this;
        }

        /** A header line of the client's, from its bytes; the name goes coded when AJP has a code for it. */
        public Builder header(ByteBuf src, int nameIndex, int nameLength, int valueIndex, int valueLength) {
            String name = src.toString(nameIndex, nameLength, StandardCharsets.ISO_8859_1);
            int code = AjpProtocol.requestHeaderCode(AjpProtocol.lower(name));
            if (code != 0) {
                headers.writeShort(code);
            } else {
                bytes(headers, src, nameIndex, nameLength);
            }
            bytes(headers, src, valueIndex, valueLength);
            headerCount++;
            return this;
        }

        /** The body that follows: its length, -1 when unknown (chunked), 0 for none. */
        public Builder body(long length) {
            contentLength = length;
            return this;
        }

        public Builder queryString(CharSequence query) {
            attributes.writeByte(AjpProtocol.A_QUERY_STRING);
            string(attributes, query);
            return this;
        }

        /** An attribute without its own code (AJP_REMOTE_PORT, AJP_LOCAL_ADDR, AJP_SSL_PROTOCOL). */
        public Builder attribute(String name, String value) {
            attributes.writeByte(AjpProtocol.A_REQ_ATTRIBUTE);
            string(attributes, name);
            string(attributes, value);
            return this;
        }

        /** The front connection's TLS facts, as mod_jk passes them (Tomcat makes request attributes of them). */
        public Builder tls(String cipher, String sessionId, int keySize, String clientCertPem, String protocol) {
            if (cipher != null) {
                attributes.writeByte(AjpProtocol.A_SSL_CIPHER);
                string(attributes, cipher);
            }
            if (sessionId != null) {
                attributes.writeByte(AjpProtocol.A_SSL_SESSION);
                string(attributes, sessionId);
            }
            if (keySize > 0) {
                attributes.writeByte(AjpProtocol.A_SSL_KEY_SIZE);
                attributes.writeShort(keySize);
            }
            if (clientCertPem != null) {
                attributes.writeByte(AjpProtocol.A_SSL_CERT);
                string(attributes, clientCertPem);
            }
            if (protocol != null) {
                attribute("AJP_SSL_PROTOCOL", protocol);
            }
            return this;
        }

        public AjpForwardRequest build() {
            if (!fixedDone) {
                release();
                throw new IllegalStateException("request(...) first");
            }
            return new AjpForwardRequest(this);
        }

        /** Frees what was written, for a builder that is not built. */
        public void release() {
            fixed.release();
            headers.release();
            attributes.release();
        }
    }
}
