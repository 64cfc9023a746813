package io.raftlab.chaos.etcd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.bench.BenchOp;
import io.raftlab.chaos.bench.BenchOptions;
import io.raftlab.chaos.bench.BenchResult;
import io.raftlab.chaos.bench.EtcdKvSystem;
import io.raftlab.chaos.bench.LoadGenerator;
import io.raftlab.chaos.netns.NamespaceNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd (3 members in namespaces, default timings) under the toolkit's load generator at 1, 16 and
 * 256 clients, put and get; prints one line per run. Run with
 * {@code mvn -B -o -pl raftlab-chaos -am test -Dexcluded.test.groups=none -Dtest=EtcdBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class EtcdBenchmark {

  @TempDir
  Path dir;

  @Test
  void putAndGetAt1_16_256Clients() throws Exception {
    assumeTrue(NamespaceNetwork.missingPrerequisite().isEmpty(), () -> "skipped: " + NamespaceNetwork.missingPrerequisite().orElse(""));
    try (EtcdCluster cluster = EtcdCluster.start(new ClusterRequest(dir, 3, Map.of(), Duration.ofSeconds(60)))) {
      cluster.leader(Duration.ofSeconds(30)).orElseThrow();
      List<String> urls = cluster.nodes().stream().map(cluster::clientUrl).toList();
      try (EtcdKvSystem system = new EtcdKvSystem(urls, 16, Duration.ofSeconds(5))) {
        LoadGenerator gen = new LoadGenerator(system, s -> { });
        for (BenchOp op : List.of(BenchOp.PUT, BenchOp.GET)) {
          for (int clients : List.of(1, 16, 256)) {
            BenchOptions o = new BenchOptions(op, clients, Duration.ofSeconds(3), Duration.ofSeconds(10), 8, 256, 1000, 1);
            if (op.needsPreload()) {
              gen.preload(o, 16);
            }
            BenchResult r = gen.run(o);
            System.out.printf(Locale.ROOT, "etcd %s clients=%d ops/s=%.0f p50=%.2fms p99=%.2fms errors=%s%n",
                op.label(), clients, r.operationsPerSecond(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.errors());
          }
        }
      }
    }
  }
}
