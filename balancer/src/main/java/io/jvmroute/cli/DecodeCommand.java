package io.jvmroute.cli;

import io.jvmroute.balancer.routing.Decision;
import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import io.jvmroute.route.ParsedId;
import io.jvmroute.route.SessionId;
import io.jvmroute.route.SessionIdFinder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvmroute decode}: what a session id, a Cookie header or a URL says, and where the balancer sends it. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Shows what a session id, a Cookie header or a URL says, and where the balancer sends it.",
                "Base, route and domain of each candidate id in mod_jk's order (path parameter, then every",
                "JSESSIONID cookie); with --workers, the worker the balancer would choose and why."})
public final class DecodeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TEXT", description = "a session id, a Cookie header (\"a=1; JSESSIONID=…\"), or a URL/path")
    String text;

    @Option(names = "--workers", paramLabel = "FILE", description = "a workers.properties: also show the worker chosen")
    Path workers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        WorkersConfig config = null;
        if (workers != null) {
            try {
                config = WorkersPropertiesParser.parse(workers);
            } catch (ConfigException e) {
                e.problems().forEach(spec.commandLine().getErr()::println);
                return 1;
            }
        }
        SessionIdFinder finder = config == null ? SessionIdFinder.DEFAULT
                : new SessionIdFinder(config.lb().sessionCookie(), config.lb().sessionPath());
        String input = text.strip();
        String uri = null;
        List<String> cookies = new ArrayList<>();
        List<ParsedId> candidates;
        if (input.regionMatches(true, 0, "Cookie:", 0, 7)) {
            cookies.add(input.substring(7));
        } else if (input.startsWith("/") || input.contains("://")) {
            uri = pathOf(input);
        } else if (input.contains("=")) {
            cookies.add(input);
        }
        candidates = uri == null && cookies.isEmpty() ? List.of(SessionId.parse(input)) : finder.candidates(uri, cookies);
        if (candidates.isEmpty()) {
            out.println("no " + finder.cookieName() + " cookie or ;" + finder.pathParameterName() + "= parameter found");
        }
        int i = 1;
        for (ParsedId candidate : candidates) {
            out.println(i++ + ": " + describe(candidate));
        }
        if (config != null) {
            out.println("balancer: " + route(config, uri, cookies.isEmpty() && uri == null ? List.of(finder.cookieName() + "=" + input) : cookies));
        }
        out.flush();
        return candidates.stream().anyMatch(ParsedId::isUsable) ? 0 : 1;
    }

    /** The path and query of a URL ("http://host/app;jsessionid=…"), or the text itself if it is a path. */
    private static String pathOf(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int slash = url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }

    private static String describe(ParsedId candidate) {
        if (candidate instanceof ParsedId.Usable usable) {
            SessionId id = usable.sessionId();
            return id.hasRoute()
                    ? "base=" + id.base() + " route=" + id.route() + " domain=" + id.domain()
                    : "base=" + id.base() + " (no route: the balancer treats it as a new session)";
        }
        return "unusable (" + ((ParsedId.Unusable) candidate).problem().description() + ")";
    }

    /** The decision for this request with every worker up, as the balancer would make it at start. */
    private static String route(WorkersConfig config, String uri, List<String> cookies) {
        List<WorkerState> states = new ArrayList<>();
        config.workers().values().forEach(def -> states.add(new WorkerState(def)));
        Router router = new Router(config.lb(), states);
        int match = router.match(uri, cookies);
        String requested = router.isDomainMatch(match) ? router.routeOf(uri, cookies) : null;
        Decision decision = router.decide(match, requested, 0);
        if (decision.refused()) {
            return "refused with 503 (" + decision.reason().name().toLowerCase(Locale.ROOT) + ")";
        }
        return "worker " + decision.worker().name() + " (" + decision.reason().name().toLowerCase(Locale.ROOT)
                + (decision.movedFromRoute() != null ? ", failed over from " + decision.movedFromRoute() : "") + ")";
    }
}
