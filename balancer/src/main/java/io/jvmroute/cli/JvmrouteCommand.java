package io.jvmroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jvmroute} command, one runnable jar: {@code balancer} runs the balancer; {@code check},
 * {@code gen}, {@code decode}, {@code tls}, {@code drain} and {@code undrain} are the operator's tools.
 */
@Command(name = "jvmroute", mixinStandardHelpOptions = true, version = "jvmroute 0.1.0",
        description = "Keeps logged-in users logged in when a Tomcat node behind a sticky balancer dies.",
        subcommands = {BalancerCommand.class, CheckCommand.class, GenCommand.class, DecodeCommand.class,
                TlsCommand.class, DrainCommand.class, UndrainCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class JvmrouteCommand {

    public static void main(String[] args) {
        int code = new CommandLine(new JvmrouteCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
