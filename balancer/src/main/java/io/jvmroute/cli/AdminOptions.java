package io.jvmroute.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What the drain commands need to reach a balancer and name a worker: a picocli mixin, declared once. */
final class AdminOptions {

    @Parameters(paramLabel = "ROUTE", description = "the worker's route (or name)")
    String route;

    @Option(names = "--balancer", required = true, paramLabel = "URL", description = "the balancer's admin URL, as http://127.0.0.1:8081")
    String balancer;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:JVMROUTE_ADMIN_TOKEN}",
            description = "the balancer's admin token (default: env JVMROUTE_ADMIN_TOKEN)")
    String token;

    AdminClient client() {
        return new AdminClient(balancer, token);
    }
}
