package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The valve's options are documented once, in README.md's table: every attribute Digester can set (a public
 * setter JvmRouteValve declares, taking text or a primitive) has a row, every row has a setter, and each
 * documented default is what a fresh valve's getter answers.
 */
class ReadmeOptionsTest {

    @Test
    void everyValveAttributeIsDocumentedWithItsDefault() throws Exception {
        Map<String, String> rows = optionsTable();
        assertThat(new TreeSet<>(rows.keySet())).isEqualTo(attributes());
        JvmRouteValve fresh = new JvmRouteValve();
        for (Map.Entry<String, String> row : rows.entrySet()) {
            assertThat(String.valueOf(getter(row.getKey()).invoke(fresh))).as("default of " + row.getKey())
                    .isEqualTo(row.getValue());
        }
    }

    private static Set<String> attributes() {
        return Arrays.stream(JvmRouteValve.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("set") && m.getParameterCount() == 1)
                .filter(m -> m.getParameterTypes()[0] == String.class || m.getParameterTypes()[0].isPrimitive())
                .map(m -> Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Method getter(String property) throws NoSuchMethodException {
        String suffix = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        try {
            return JvmRouteValve.class.getMethod("get" + suffix);
        } catch (NoSuchMethodException e) {
            return JvmRouteValve.class.getMethod("is" + suffix);
        }
    }

    /** The table under "## Options": name to default, backticks removed and {@code \|} read as {@code |}. */
    private static Map<String, String> optionsTable() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int row = lines.indexOf("## Options");
        while (!lines.get(row).startsWith("|")) {
            row++;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (row += 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
            String[] cells = lines.get(row).split("(?<!\\\\)\\|");
            rows.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", "").replace("\\|", "|"));
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }
}
