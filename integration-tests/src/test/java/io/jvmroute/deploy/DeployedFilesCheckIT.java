package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.Distribution;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 11: {@code jvmroute check} (the distribution's command) on the files the suite deployed. */
@ExtendWith(SharedClusters.class)
class DeployedFilesCheckIT {

    @Test
    @Scenario(value = "11", aboutBalancer = false)
    void checkFindsNoErrorInTheDeployedFiles(DeployedCluster cluster) {
        List<String> args = new ArrayList<>(List.of("check"));
        cluster.files().serverXmls().forEach(p -> args.add(p.toString()));
        Path fronts = cluster.files().dir().resolve("fronts");
        args.add(fronts.resolve("jvmroute/workers.properties").toString());

        Distribution.Run ours = Distribution.tryJvmroute(args.toArray(String[]::new));
        args.set(args.size() - 1, fronts.resolve("apache/workers.properties").toString());
        Distribution.Run modJk = Distribution.tryJvmroute(args.toArray(String[]::new));

        assertThat(ours.exitCode()).as(ours.output()).isZero();
        assertThat(ours.output()).contains("ok: " + (args.size() - 1) + " file(s)");
        ScenarioReport.passed("11", null, "jvmroute check on " + cluster.files().serverXmls().size()
                + " server.xml (gen's + AJP connector) and the balancer's workers.properties: exit 0, "
                + ours.output().lines().reduce((a, b) -> b).orElse("") + "; on the mod_jk workers.properties: exit "
                + modJk.exitCode() + ", " + modJk.output().lines().reduce((a, b) -> b).orElse(""));
    }
}
