package io.jvmroute.cli;

import io.jvmroute.check.ClusterCheck;
import io.jvmroute.check.Finding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvmroute check}: explains what in an operator's files breaks stickiness or replication. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Reads server.xml, web.xml and workers.properties files together and prints, one line each",
                "with file and line, everything that breaks stickiness or replication.",
                "Exit code: 0 without errors (warnings allowed), 1 with errors."})
public final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "server.xml, web.xml and workers.properties files")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Finding> findings = ClusterCheck.check(files);
        findings.forEach(out::println);
        long errors = findings.stream().filter(Finding::isError).count();
        long warnings = findings.size() - errors;
        out.println(errors == 0 && warnings == 0
                ? "ok: " + files.size() + " file(s), nothing that breaks stickiness or replication"
                : errors + " error(s), " + warnings + " warning(s) in " + files.size() + " file(s)");
        out.flush();
        return errors > 0 ? 1 : 0;
    }
}
