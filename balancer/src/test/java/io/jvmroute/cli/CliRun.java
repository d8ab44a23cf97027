package io.jvmroute.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs one command as the launcher would and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A workers.properties with HTTP workers jvm1 and jvm2 under lb wlb, plus {@code extraLines}. */
    static Path twoWorkers(Path dir, String extraLines) throws IOException {
        return Files.writeString(dir.resolve("workers.properties"), """
                worker.list=wlb
                worker.jvm1.type=http
                worker.jvm1.host=127.0.0.11
                worker.jvm1.port=8080
                worker.jvm2.type=http
                worker.jvm2.host=127.0.0.12
                worker.jvm2.port=8080
                worker.wlb.type=lb
                worker.wlb.balance_workers=jvm1,jvm2
                """ + extraLines);
    }
}
