package io.jvmroute.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jvmroute undrain <route> --balancer URL}: the worker (and its node) takes new sessions again. */
@Command(name = "undrain", mixinStandardHelpOptions = true,
        description = {"Puts a drained worker back (and its node, when the balancer reads the cluster).",
                "Exit code: 0 done, 1 refused or unreachable."})
final class UndrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions target;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AdminClient.Answer answer = target.client().action("activate", target.route);
            if (!answer.ok()) {
                err.println("undrain " + target.route + " refused: HTTP " + answer.status() + " " + answer.body().strip());
                return 1;
            }
            out.println(answer.body().strip());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("undrain " + target.route + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
