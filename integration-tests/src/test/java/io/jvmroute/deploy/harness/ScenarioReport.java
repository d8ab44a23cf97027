package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the CI log shows of the tier: one line per scenario with its figures, and at the end of the run the
 * matrix scenario × balancer for this Tomcat version. Every line also goes to
 * {@code target/deploy-summary-<tomcat version>.tsv}, from which {@code test.sh} prints the matrix of both
 * Tomcat versions after its last run.
 */
public final class ScenarioReport {

    private static final Map<String, Map<String, String>> MATRIX = new TreeMap<>(ScenarioReport::byNumber);
    private static final List<String> NOTES = new ArrayList<>();
    private static boolean started;

    private ScenarioReport() {
    }

    /** A scenario passed with these figures ({@code front} null: not about a balancer). */
    public static synchronized void passed(String scenario, Front front, String figures) {
        line(scenario, front, "ok", figures);
    }

    /**
     * A scenario whose assertions held, but which showed a shortfall the criteria count and jvmroute cannot
     * meet yet (a known bug, named in {@code shortfall}): the matrix says "partial", never "ok".
     */
    public static synchronized void partial(String scenario, Front front, String figures, String shortfall) {
        line(scenario, front, "partial", figures + "; SHORTFALL: " + shortfall);
    }

    /** A test of these scenarios failed: the ones it had not yet reported as passed failed. */
    static synchronized void failed(String[] scenarios, Front front, String why) {
        String balancer = front == null ? "-" : front.label();
        for (String scenario : scenarios) {
            if (!"ok".equals(MATRIX.getOrDefault(scenario, Map.of()).get(balancer))) {
                line(scenario, front, "FAILED", why);
            }
        }
    }

    /** A fact about the run itself (image build, cluster start), printed and kept for the end. */
    public static synchronized void note(String text) {
        NOTES.add(text);
        System.out.println("[deploy] " + Distribution.tomcatVersion() + " " + text);
        append("note\t" + Distribution.tomcatVersion() + "\t-\t-\t-\t" + text);
    }

    private static void line(String scenario, Front front, String outcome, String figures) {
        String balancer = front == null ? "-" : front.label();
        MATRIX.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).merge(balancer, outcome,
                (was, now) -> was.equals("FAILED") ? was : now);
        System.out.printf("[deploy] scenario %-3s tomcat %-8s %-14s %-6s %s%n", scenario, Distribution.tomcatVersion(),
                balancer, outcome, figures.replace('\n', ' '));
        append("scenario\t" + Distribution.tomcatVersion() + "\t" + scenario + "\t" + balancer + "\t" + outcome + "\t"
                + figures.replace('\n', ' ').replace('\t', ' '));
    }

    private static void append(String row) {
        try {
            Path file = summaryFile();
            if (!started) {
                Files.deleteIfExists(file);
                started = true;
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path summaryFile() {
        return Path.of(System.getProperty("jvmroute.work.dir")).getParent()
                .resolve("deploy-summary-" + Distribution.tomcatVersion() + ".tsv");
    }

    /** The matrix of this run: scenario rows, balancer columns. */
    static synchronized String matrix() {
        List<String> columns = new ArrayList<>(List.of("-"));
        for (Front front : Front.values()) {
            columns.add(front.label());
        }
        StringBuilder out = new StringBuilder(String.format("[deploy] matrix, Tomcat %s (scenario x balancer; - = not about a balancer)%n",
                Distribution.tomcatVersion()));
        out.append(String.format("[deploy] %-9s", "scenario"));
        columns.forEach(c -> out.append(String.format(" %-14s", c)));
        out.append('\n');
        MATRIX.forEach((scenario, cells) -> {
            out.append(String.format("[deploy] %-9s", scenario));
            columns.forEach(c -> out.append(String.format(" %-14s", cells.getOrDefault(c, ""))));
            out.append('\n');
        });
        return out.toString();
    }

    private static int byNumber(String a, String b) {
        int na = Integer.parseInt(a.replaceAll("\\D.*", ""));
        int nb = Integer.parseInt(b.replaceAll("\\D.*", ""));
        return na != nb ? Integer.compare(na, nb) : a.compareTo(b);
    }
}
