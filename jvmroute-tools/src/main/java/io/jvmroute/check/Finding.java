package io.jvmroute.check;

import java.util.Objects;

/**
 * One thing {@code jvmroute check} found, printed as {@code file:line: error: message} so editors and CI
 * logs link to it.
 *
 * @param severity whether it breaks stickiness or replication (error) or is a risk (warning)
 * @param file     the file as the operator named it
 * @param line     1-based line, or 0 when the finding is about the file as a whole
 * @param message  what is wrong and how to fix it, in one line
 */
public record Finding(Severity severity, String file, int line, String message) {

    public enum Severity {
        ERROR, WARNING;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    static Finding error(String file, int line, String message) {
        return new Finding(Severity.ERROR, file, line, message);
    }

    static Finding warning(String file, int line, String message) {
        return new Finding(Severity.WARNING, file, line, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + severity.label() + ": " + message;
    }
}
