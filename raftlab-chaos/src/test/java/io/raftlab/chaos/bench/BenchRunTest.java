package io.raftlab.chaos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchRunTest {

  private static BenchResult result(String system, int clients, long operations, long p50, long p99) {
    // 1 s measured: operations are ops/s
    return new BenchResult(system, BenchOp.PUT, clients, 1_000_000_000L, operations, p50, p50, p50, p99, p99, p99, Map.of());
  }

  @Test
  void ratiosCompareTheSameSettingOfTwoSystemsAndTheTableNamesTheSystem() {
    BenchRun run = new BenchRun(null, Map.of());
    run.add(result("raftlab", 1, 300, 2_000, 8_000), Map.of());
    run.add(result("raftlab", 16, 900, 5_000, 20_000), Map.of());
    run.add(result("etcd", 1, 100, 4_000, 4_000), Map.of());
    String ratios = run.ratioTable("raftlab", "etcd");
    // Only the setting both measured; throughput a/b, latency a/b.
    assertThat(ratios.lines().skip(1)).containsExactly(
        String.format("%-6s %8d %14.2f %14.2f %14.2f", "put", 1, 3.0, 0.5, 2.0));
    assertThat(run.table()).contains("system").contains("etcd     put");
    assertThat(run.ratioTable("raftlab", "zookeeper")).isEmpty();
  }
}
