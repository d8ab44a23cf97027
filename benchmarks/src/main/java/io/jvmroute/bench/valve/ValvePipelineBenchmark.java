package io.jvmroute.bench.valve;

import io.jvmroute.valve.JvmRouteValve;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.startup.Tomcat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The valve's cost per request: a request of a logged-in user (session cookie {@code <id>.jvm1} on node jvm1)
 * through a started Tomcat's container pipeline, Engine → Host → Context → Wrapper → a servlet that reads the
 * session, with and without {@link JvmRouteValve} first in the Engine's pipeline. No sockets: the request is what
 * Tomcat's CoyoteAdapter hands the pipeline after mapping (the part the valve adds to), recycled after each call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ValvePipelineBenchmark {

    @Param({"false", "true"})
    public boolean valve;

    private Tomcat tomcat;
    private File baseDir;
    private Context context;
    private Wrapper wrapper;
    private String sessionId;
    private Request request;
    private Response response;

    @Setup(Level.Trial)
    public void start() throws Exception {
        baseDir = Files.createTempDirectory("valve-bench").toFile();
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.getAbsolutePath());
        tomcat.getServer().setPort(-1);
        tomcat.getEngine().setJvmRoute("jvm1");
        if (valve) {
            tomcat.getEngine().getPipeline().addValve(new JvmRouteValve());
        }
        context = tomcat.addContext("/app", null);
        context.setDistributable(true);
        wrapper = Tomcat.addServlet(context, "session", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(req.getSession(false) == null ? 404 : 204);
            }
        });
        context.addServletMappingDecoded("/session", "session");
        tomcat.start();
        sessionId = context.getManager().createSession(null).getId();

        org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
        org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
        coyoteRequest.setResponse(coyoteResponse);
        coyoteResponse.setOutputBuffer(new org.apache.coyote.OutputBuffer() {
            @Override
            public int doWrite(ByteBuffer chunk) {
                int n = chunk.remaining();
                chunk.position(chunk.limit());
                return n;
            }

            @Override
            public long getBytesWritten() {
                return 0;
            }
        });
        request = new Request(new Connector(), coyoteRequest);
        response = new Response(coyoteResponse);
        request.setResponse(response);
        response.setRequest(request);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Benchmark
    public int loggedInRequest() throws Exception {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        coyote.method().setString("GET");
        coyote.requestURI().setString("/app/session");
        coyote.decodedURI().setString("/app/session");
        request.getMappingData().host = tomcat.getHost();
        request.getMappingData().context = context;
        request.getMappingData().wrapper = wrapper;
        request.getMappingData().requestPath.setString("/session");
        request.getMappingData().wrapperPath.setString("/session");
        request.setRequestedSessionId(sessionId);
        request.setRequestedSessionCookie(true);
        tomcat.getEngine().getPipeline().getFirst().invoke(request, response);
        int status = response.getStatus();
        request.recycle();
        response.recycle();
        coyote.recycle();
        response.getCoyoteResponse().recycle();
        return status;
    }
}
