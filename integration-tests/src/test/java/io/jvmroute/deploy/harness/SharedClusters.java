package io.jvmroute.deploy.harness;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Hands test classes the run's shared {@link DeployedCluster} of 2 (or {@link ClusterOf} n) nodes, started on
 * first use and removed when the whole run ends (JUnit's root store closes it, also after failures), then
 * prints the matrix. Records a failed scenario so that the matrix shows it.
 */
public final class SharedClusters implements ParameterResolver, TestWatcher {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DeployedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<ClusterOf> of = Optional.ofNullable(context.getRequiredTestClass().getAnnotation(ClusterOf.class));
        int nodes = of.map(ClusterOf::nodes).orElse(2);
        Front[] fronts = of.map(ClusterOf::fronts).orElse(Front.values());
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedClusters.class));
        store.getOrComputeIfAbsent("matrix", k -> (ExtensionContext.Store.CloseableResource) () ->
                System.out.print(ScenarioReport.matrix()), ExtensionContext.Store.CloseableResource.class);
        Resource resource = store.getOrComputeIfAbsent("cluster-" + nodes, k -> startCluster(nodes, fronts), Resource.class);
        if (resource.failure != null) {
            // Started once per run: a cluster that failed to start fails every scenario at once, not after another try each.
            throw new IllegalStateException("the shared " + nodes + "-node cluster did not start", resource.failure);
        }
        return resource.cluster;
    }

    private static Resource startCluster(int nodes, Front[] fronts) {
        try {
            return new Resource(DeployedCluster.start("c" + nodes, nodes, fronts), null);
        } catch (java.io.IOException | RuntimeException e) {
            return new Resource(null, e);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        dumpLogs(context);
        context.getTestMethod().map(m -> m.getAnnotation(Scenario.class)).ifPresent(scenario -> {
            Front front = !scenario.aboutBalancer() ? null : Arrays.stream(Front.values())
                    .filter(f -> context.getDisplayName().contains(f.label())).findFirst().orElse(Front.JVMROUTE);
            ScenarioReport.failed(scenario.value(), front, String.valueOf(cause).lines().findFirst().orElse(""));
        });
    }

    /** Every running cluster's consoles into target/deploy-logs/<test>/, for reading a failure after the run. */
    private static void dumpLogs(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedClusters.class));
        for (int nodes = 2; nodes <= 3; nodes++) {
            Resource resource = store.get("cluster-" + nodes, Resource.class);
            if (resource != null && resource.cluster != null) {
                resource.cluster.dumpLogs(ScenarioReport.summaryFile().getParent().resolve("deploy-logs")
                        .resolve(context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName().replaceAll("\\W+", "_")));
            }
        }
    }

    private record Resource(DeployedCluster cluster, Exception failure) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
