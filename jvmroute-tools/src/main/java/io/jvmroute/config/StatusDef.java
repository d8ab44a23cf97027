package io.jvmroute.config;

/**
 * A mod_jk status worker ({@code type=status}). jvmroute serves its status on the admin listener instead;
 * {@code read_only} is honoured there: admin actions are refused when it is true.
 */
public record StatusDef(String name, boolean readOnly) {
}
