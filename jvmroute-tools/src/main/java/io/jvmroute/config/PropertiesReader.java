package io.jvmroute.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a mod_jk style properties file into its {@code key=value} lines, in order, keeping line numbers
 * and duplicates (the interpreter decides whether a repeated key appends or replaces).
 *
 * <p>As mod_jk's {@code jk_map}: '#' starts a comment line, blanks around keys and values are trimmed, a
 * line ending in '\' continues on the next, and {@code $(name)} is replaced by the value of a property
 * defined earlier (the seed's {@code ps=/} idiom). Unlike mod_jk, a line without '=' and an undefined
 * {@code $(name)} are errors rather than silently dropped.
 */
public final class PropertiesReader {

    private PropertiesReader() {
    }

    /**
     * @param source the file name used in messages
     */
    public static List<PropertyLine> read(String source, Reader in) throws IOException, ConfigException {
        List<PropertyLine> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> defined = new HashMap<>();
        BufferedReader reader = new BufferedReader(in);
        StringBuilder logical = new StringBuilder();
        int lineNumber = 0;
        int startLine = 0;
        for (String raw; (raw = reader.readLine()) != null; ) {
            lineNumber++;
            String text = raw.strip();
            if (logical.length() == 0) {
                startLine = lineNumber;
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
            }
            if (text.endsWith("\\")) {
                logical.append(text, 0, text.length() - 1);
                continue;
            }
            logical.append(text);
            String line = logical.toString();
            logical.setLength(0);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(source + ":" + startLine + ": " + line + " (expected: key=value)");
                continue;
            }
            String key = line.substring(0, eq).strip();
            try {
                String value = substitute(line.substring(eq + 1).strip(), defined);
                defined.put(key, value);
                lines.add(new PropertyLine(key, value, startLine));
            } catch (IllegalArgumentException e) {
                problems.add(source + ":" + startLine + ": " + key + ": " + e.getMessage());
            }
        }
        if (logical.length() > 0) {
            problems.add(source + ":" + startLine + ": the file ends inside a continued line (a trailing '\\')");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return lines;
    }

    private static String substitute(String value, Map<String, String> defined) {
        int start = value.indexOf("$(");
        if (start < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (start >= 0) {
            int end = value.indexOf(')', start);
            if (end < 0) {
                throw new IllegalArgumentException(value + " (expected: $(name) closed by ')')");
            }
            String name = value.substring(start + 2, end);
            String replacement = defined.get(name);
            if (replacement == null) {
                throw new IllegalArgumentException("$(" + name + ") is not defined above (expected: name=value on an earlier line)");
            }
            out.append(value, from, start).append(replacement);
            from = end + 1;
            start = value.indexOf("$(", from);
        }
        return out.append(value, from, value.length()).toString();
    }
}
