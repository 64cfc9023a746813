package io.raftlab.chaos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.chaos.cluster.ClusterUnderTest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverSettleTest {

  /** A cluster whose leader n1 won {@code leaderFor} ago and keeps its place. */
  private static ClusterUnderTest steadyCluster(Duration leaderFor) {
    Instant won = Instant.now().minus(leaderFor);
    return (ClusterUnderTest) Proxy.newProxyInstance(ClusterUnderTest.class.getClassLoader(), new Class<?>[] {ClusterUnderTest.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "leader" -> Optional.of("n1");
          case "leaderSince" -> Optional.of(won);
          case "nodes" -> List.of("n1", "n2", "n3");
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aLeaderThatHeldItsPlaceThroughARestartIsNotKilledUntilTheRestartedNodeHasBeenUpForTheSettlePeriod() throws Exception {
    ClusterUnderTest cluster = steadyCluster(Duration.ofSeconds(5));
    long restartedAt = System.nanoTime();

    String leader = FailoverTrials.stableLeader(cluster, Duration.ofMillis(300), restartedAt);

    assertThat(leader).isEqualTo("n1");
    assertThat(System.nanoTime() - restartedAt).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
  }

  @Test
  void aClusterUndisturbedForTheSettlePeriodWithASettledLeaderIsReadyAtOnce() throws Exception {
    ClusterUnderTest cluster = steadyCluster(Duration.ofSeconds(5));
    long t0 = System.nanoTime();

    String leader = FailoverTrials.stableLeader(cluster, Duration.ofMillis(300), t0 - Duration.ofSeconds(5).toNanos());

    assertThat(leader).isEqualTo("n1");
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofMillis(300).toNanos());
  }
}
