package io.jvmroute.config;

/** One {@code key=value} of a properties file, with where it was written. */
public record PropertyLine(String key, String value, int line) {
}
