package io.jvmroute.balancer.ajp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes packets as a container (Tomcat) sends them, for tests: 'AB', length, payload. */
final class ContainerPackets {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ContainerPackets headers(int status, String reason, String... namesAndValues) {
        Payload p = new Payload().b(AjpProtocol.SEND_HEADERS).i(status).s(reason).i(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            int code = code(namesAndValues[i]);
            if (code != 0) {
                p.i(code);
            } else {
                p.s(namesAndValues[i]);
            }
            p.s(namesAndValues[i + 1]);
        }
        return add(p);
    }

    ContainerPackets body(String data) {
        byte[] b = data.getBytes(StandardCharsets.ISO_8859_1);
        return add(new Payload().b(AjpProtocol.SEND_BODY_CHUNK).i(b.length).raw(b).b(0));
    }

    ContainerPackets end(boolean reuse) {
        return add(new Payload().b(AjpProtocol.END_RESPONSE).b(reuse ? 1 : 0));
    }

    ContainerPackets getBody(int size) {
        return add(new Payload().b(AjpProtocol.GET_BODY_CHUNK).i(size));
    }

    ContainerPackets pong() {
        return add(new Payload().b(AjpProtocol.CPONG));
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private ContainerPackets add(Payload p) {
        byte[] payload = p.out.toByteArray();
        out.write('A');
        out.write('B');
        out.write(payload.length >> 8);
        out.write(payload.length);
        out.writeBytes(payload);
        return this;
    }

    private static int code(String name) {
        for (int c = 0xA001; c <= 0xA00B; c++) {
            if (new String(AjpProtocol.responseHeaderName(c), StandardCharsets.ISO_8859_1).equals(name)) {
                return c;
            }
        }
        return 0;
    }

    private static final class Payload {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Payload b(int v) {
            out.write(v);
            return this;
        }

        Payload i(int v) {
            out.write(v >> 8);
            out.write(v);
            return this;
        }

        Payload s(String v) {
            byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
            return i(b.length).raw(b).b(0);
        }

        Payload raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }
    }
}
