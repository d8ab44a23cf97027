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
        return store.getOrComputeIfAbsent("cluster-" + nodes, k -> new Resource(startCluster(nodes, fronts)), Resource.class).cluster;
    }

    private static DeployedCluster startCluster(int nodes, Front[] fronts) {
        try {
            return DeployedCluster.start("c" + nodes, nodes, fronts);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getTestMethod().map(m -> m.getAnnotation(Scenario.class)).ifPresent(scenario -> {
            Front front = Arrays.stream(Front.values()).filter(f -> context.getDisplayName().contains(f.label()))
                    .findFirst().orElse(null);
            ScenarioReport.failed(scenario.value(), front, String.valueOf(cause).lines().findFirst().orElse(""));
        });
    }

    private record Resource(DeployedCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
