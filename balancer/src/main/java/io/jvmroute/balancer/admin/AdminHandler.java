package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.config.ConfigException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the admin listener. GET never changes anything: {@code /} (HTML), {@code /status.json},
 * {@code /metrics}, {@code /drain.txt?worker=NAME} ({@link DrainStatus}). {@code POST /action} with {@code action=activate|disable|stop&worker=NAME},
 * {@code action=reset[&worker=NAME]} or {@code action=reload} ({@code action=ACTION:NAME} is the same as
 * {@code action=ACTION&worker=NAME}: the page's row buttons send one value) needs the admin token, either as
 * {@code Authorization: Bearer TOKEN} (scripts) or, from the HTML page's forms, as a {@code token} field
 * together with the page's {@code csrf} field (so that another site cannot make a logged-in browser post).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BalancerControl control;
    private final String csrf;

    AdminHandler(BalancerControl control, String csrf) {
        this.control = control;
        this.csrf = csrf;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "malformed request\n");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        boolean read = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        if (path.equals("/action")) {
            if (!request.method().equals(HttpMethod.POST)) {
                FullHttpResponse r = response(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain",
                        "admin actions are POST only\n");
                r.headers().set(HttpHeaderNames.ALLOW, "POST");
                write(ctx, request, r);
                return;
            }
            action(ctx, request);
            return;
        }
        if (!read) {
            send(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "read-only resource\n");
            return;
        }
        Router router = control.runtime().router();
        long now = System.nanoTime();
        List<WorkerStatus> rows = router.workers().stream()
                .map(w -> WorkerStatus.of(w, control.pools(), control.sourceOf(w), now)).toList();
        String lb = router.lb().name();
        switch (path) {
            case "/", "/index.html" -> page(ctx, request, lb, rows);
            case "/status.json" -> send(ctx, request, HttpResponseStatus.OK, "application/json", StatusFormats.json(lb, rows));
            case "/metrics" -> send(ctx, request, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    StatusFormats.prometheus(lb, rows));
            case "/drain.txt" -> drainStatus(ctx, request, router, uri);
            default -> send(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", "not found: " + path + "\n");
        }
    }

    private void drainStatus(ChannelHandlerContext ctx, FullHttpRequest request, Router router, QueryStringDecoder uri) {
        try {
            String name = first(uri.parameters(), "worker");
            List<WorkerState> workers = name.isEmpty() ? router.workers() : List.of(worker(router, name));
            StringBuilder lines = new StringBuilder();
            workers.forEach(w -> lines.append(DrainStatus.line(w, control.cluster(), System.nanoTime())));
            send(ctx, request, HttpResponseStatus.OK, "text/plain", lines.toString());
        } catch (IllegalArgumentException e) {
            send(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", e.getMessage() + "\n");
        }
    }

    private void page(ChannelHandlerContext ctx, FullHttpRequest request, String lb, List<WorkerStatus> rows) {
        byte[] n = new byte[12];
        RANDOM.nextBytes(n);
        String nonce = Base64.getEncoder().encodeToString(n);
        FullHttpResponse r = response(ctx, HttpResponseStatus.OK, "text/html; charset=utf-8", StatusPage.html(lb, rows,
                control.adminToken() == null ? null : csrf, System.currentTimeMillis(), nonce));
        // only this page's own style and script run, it may only talk to and post to this listener
        r.headers().set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce + "'; script-src 'nonce-"
                + nonce + "'; connect-src 'self'; form-action 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'");
        write(ctx, request, r);
    }

    private void action(ChannelHandlerContext ctx, FullHttpRequest request) {
        String token = control.adminToken();
        if (token == null) {
            send(ctx, request, HttpResponseStatus.FORBIDDEN, "text/plain", "admin actions are off: set balancer.admin.token"
                    + " (and read_only=false on the status worker, if any)\n");
            return;
        }
        Map<String, List<String>> form = new QueryStringDecoder(
                "?" + request.content().toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, true, 64).parameters();
        String bearer = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        boolean fromPage = bearer == null;
        String presented = fromPage ? first(form, "token") : bearer.startsWith("Bearer ") ? bearer.substring(7) : "";
        if (!same(presented, token)) {
            send(ctx, request, HttpResponseStatus.UNAUTHORIZED, "text/plain", "wrong or missing admin token\n");
            return;
        }
        if (fromPage && !same(first(form, "csrf"), csrf)) {
            send(ctx, request, HttpResponseStatus.FORBIDDEN, "text/plain", "missing or stale CSRF token: reload the status page\n");
            return;
        }
        String result;
        try {
            String action = first(form, "action");
            String worker = first(form, "worker");
            int colon = action.indexOf(':');
            if (colon > 0 && worker.isEmpty()) { // the page's row buttons: one value names action and worker
                worker = action.substring(colon + 1);
                action = action.substring(0, colon);
            }
            result = perform(action, worker);
        } catch (IllegalArgumentException e) {
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", e.getMessage() + "\n");
            return;
        } catch (ConfigException e) {
            send(ctx, request, HttpResponseStatus.CONFLICT, "text/plain", "reload refused, the old configuration stays:\n"
                    + e.getMessage() + "\n");
            return;
        }
        if (fromPage) {
            FullHttpResponse r = response(ctx, HttpResponseStatus.SEE_OTHER, "text/plain", result + "\n");
            r.headers().set(HttpHeaderNames.LOCATION, "/");
            write(ctx, request, r);
        } else {
            send(ctx, request, HttpResponseStatus.OK, "text/plain", result + "\n");
        }
    }

    private String perform(String action, String workerName) throws ConfigException {
        Router router = control.runtime().router();
        switch (action) {
            case "activate", "disable", "stop" -> {
                WorkerState w = worker(router, workerName);
                Activation a = action.equals("activate") ? Activation.ACTIVE
                        : action.equals("disable") ? Activation.DISABLED : Activation.STOPPED;
                boolean wasOut = w.activation() != Activation.ACTIVE;
                w.activation(a);
                if (a == Activation.ACTIVE && wasOut) {
                    router.rejoin(w);
                }
                return "worker " + w.name() + " is now " + a.name().toLowerCase(Locale.ROOT) + control.activationChanged(w, a);
            }
            case "reset" -> {
                if (workerName.isEmpty()) {
                    router.workers().forEach(WorkerState::resetCounters);
                    return "counters reset";
                }
                worker(router, workerName).resetCounters();
                return "counters of " + workerName + " reset";
            }
            case "reload" -> {
                return control.reload();
            }
            default -> throw new IllegalArgumentException("action: '" + action
                    + "' (expected: activate, disable, stop, reset or reload)");
        }
    }

    /** The worker of this name, else of this route (the drain commands name a node by its route). */
    private static WorkerState worker(Router router, String name) {
        return router.workers().stream().filter(w -> w.name().equals(name)).findFirst()
                .or(() -> router.workers().stream().filter(w -> w.route().equals(name)).findFirst())
                .orElseThrow(() -> new IllegalArgumentException("worker: '" + name + "' (expected one of "
                        + router.workers().stream().map(WorkerState::name).toList() + ")"));
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body) {
        ByteBuf content = ctx.alloc().buffer();
        content.writeCharSequence(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().set("X-Frame-Options", "DENY");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return r;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String type, String body) {
        write(ctx, request, response(ctx, status, type, body));
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
