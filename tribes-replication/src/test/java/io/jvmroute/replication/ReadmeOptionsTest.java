package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The options are documented once, in README.md, one table per component: every attribute Digester can set
 * (a public setter declared by the component taking text or a primitive) has a row, every row has a setter, and
 * each documented default is what a fresh component's getter answers.
 */
class ReadmeOptionsTest {

    private static final Path README = Path.of("README.md");

    @Test
    void everyRouteClusterAttributeIsDocumentedWithItsDefault() throws Exception {
        // getMembers() is Tomcat's member array; the attribute as given is getMemberList().
        assertDocumented(RouteCluster.class, new RouteCluster(), table("### `RouteCluster`"), Map.of("members", "memberList"));
    }

    @Test
    void everyRouteManagerAttributeIsDocumentedWithItsDefault() throws Exception {
        assertDocumented(RouteManager.class, new RouteManager(), table("### `RouteManager`"), Map.of());
    }

    @Test
    void everyRouteManagerCounterIsDocumented() throws Exception {
        Set<String> attributes = attributes(RouteManager.class);
        Set<String> counters = Arrays.stream(RouteManager.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0)
                .filter(m -> m.getName().startsWith("get") && m.getReturnType() != void.class)
                .map(m -> decapitalize(m.getName().substring(3)))
                .filter(name -> !attributes.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(table("Counters (JMX, read-only").keySet())).isEqualTo(counters);
    }

    private static void assertDocumented(Class<?> type, Object fresh, Map<String, String> rows,
            Map<String, String> getterNames) throws Exception {
        assertThat(new TreeSet<>(rows.keySet())).as("README rows vs setters of " + type.getSimpleName())
                .isEqualTo(attributes(type));
        for (Map.Entry<String, String> row : rows.entrySet()) {
            String property = getterNames.getOrDefault(row.getKey(), row.getKey());
            Object value = getter(type, property).invoke(fresh);
            assertThat(documented(value)).as("default of " + row.getKey()).isEqualTo(row.getValue());
        }
    }

    /** How the README writes a default: the value, or "none"/"required" for an attribute that is not set. */
    private static String documented(Object value) {
        return value == null || value.toString().isEmpty() ? "none" : value.toString();
    }

    /** Attributes Digester can set: public setters this class declares, of text or a primitive. */
    static Set<String> attributes(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("set") && m.getParameterCount() == 1)
                .filter(m -> m.getParameterTypes()[0] == String.class || m.getParameterTypes()[0].isPrimitive())
                .map(m -> decapitalize(m.getName().substring(3)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Method getter(Class<?> type, String property) throws NoSuchMethodException {
        String suffix = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        try {
            return type.getMethod("get" + suffix);
        } catch (NoSuchMethodException e) {
            return type.getMethod("is" + suffix);
        }
    }

    private static String decapitalize(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * The first table after the line starting with {@code heading}: first column (the name, in backticks) to
     * second column (the default, backticks removed; "required" counts as "none").
     */
    static Map<String, String> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = 0;
        while (!lines.get(start).startsWith(heading)) {
            start++;
        }
        while (!lines.get(start).startsWith("|")) {
            start++;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("(?<!\\\\)\\|");
            String name = cells[1].strip().replace("`", "");
            String value = cells[2].strip().replace("`", "").replace("\\|", "|");
            rows.put(name, value.equals("required") ? "none" : value);
        }
        assertThat(rows).as("table after " + heading).isNotEmpty();
        return rows;
    }
}
