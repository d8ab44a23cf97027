package io.jvmroute.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found, each as one line an operator can act on:
 * {@code workers.properties:12: worker.jvm1.port: 80x (expected: a port 1-65535)}.
 */
public final class ConfigException extends Exception {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** One line per problem, in file order. */
    public List<String> problems() {
        return problems;
    }
}
