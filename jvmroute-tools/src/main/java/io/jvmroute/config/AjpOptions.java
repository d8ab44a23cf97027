package io.jvmroute.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@code ajp13} worker's mod_jk keys say about the AJP connection itself.
 *
 * @param secret        {@code worker.<w>.secret}: sent with every request; Tomcat 10.1/11 connectors refuse
 *                      requests without the secret they are configured with
 * @param pingMode      {@code ping_mode}, mod_jk's letters: C (CPing after connecting), P (before each request
 *                      on a kept connection), I (on connections idle for {@code pingInterval}), A (all of them);
 *                      empty for none (mod_jk's default)
 * @param pingTimeout   {@code ping_timeout}: how long a CPong may take (mod_jk: 10 s)
 * @param pingInterval  {@code connection_ping_interval}: idle time before a CPing in mode I (mod_jk: 0, which
 *                      means {@code ping_timeout} × 10)
 * @param maxPacketSize {@code max_packet_size}: the largest AJP packet either side sends (8192 to 65536; the
 *                      Connector's {@code packetSize} must be as large)
 */
public record AjpOptions(Optional<String> secret, String pingMode, Duration pingTimeout, Duration pingInterval,
                         int maxPacketSize) {

    /** mod_jk's defaults: no secret, no CPing, 10 s CPong timeout, 8 KiB packets. */
    public static final AjpOptions DEFAULTS = new AjpOptions(Optional.empty(), "", Duration.ofSeconds(10),
            Duration.ZERO, 8192);

    public AjpOptions {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(pingMode, "pingMode");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
    }

    /** Reads {@code ping_mode}: any of the letters C, P, I, A (case-insensitive), or empty for none. */
    static String parsePingMode(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (!v.chars().allMatch(c -> "CPIA".indexOf(c) >= 0)) {
            throw new IllegalArgumentException(value.trim() + " (expected: letters of C, P, I, A; e.g. CI or A)");
        }
        return v.contains("A") ? "CPI" : v;
    }

    public boolean pingOnConnect() {
        return pingMode.indexOf('C') >= 0;
    }

    public boolean pingBeforeRequest() {
        return pingMode.indexOf('P') >= 0;
    }

    public boolean pingWhenIdle() {
        return pingMode.indexOf('I') >= 0;
    }

    /** The idle time after which mode I pings, with mod_jk's rule for 0. */
    public Duration effectivePingInterval() {
        return pingInterval.isZero() ? pingTimeout.multipliedBy(10) : pingInterval;
    }

    AjpOptions withSecret(String value) {
        return new AjpOptions(Optional.of(value).filter(s -> !s.isEmpty()), pingMode, pingTimeout, pingInterval, maxPacketSize);
    }

    AjpOptions withPingMode(String value) {
        return new AjpOptions(secret, value, pingTimeout, pingInterval, maxPacketSize);
    }

    AjpOptions withPingTimeout(Duration value) {
        return new AjpOptions(secret, pingMode, value, pingInterval, maxPacketSize);
    }

    AjpOptions withPingInterval(Duration value) {
        return new AjpOptions(secret, pingMode, pingTimeout, value, maxPacketSize);
    }

    AjpOptions withMaxPacketSize(int value) {
        return new AjpOptions(secret, pingMode, pingTimeout, pingInterval, value);
    }

    @Override
    public String toString() { // never the secret itself
        return "AjpOptions[secret=" + (secret.isPresent() ? "(set)" : "(none)") + ", pingMode=" + pingMode
                + ", pingTimeout=" + pingTimeout + ", pingInterval=" + pingInterval + ", maxPacketSize=" + maxPacketSize + "]";
    }
}
