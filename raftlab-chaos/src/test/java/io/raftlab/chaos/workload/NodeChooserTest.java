package io.raftlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeChooserTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");
  private final NodeChooser chooser = new NodeChooser(Duration.ofSeconds(3), 0.8);
  private final SplittableRandom random = new SplittableRandom(1);

  @Test
  void neverTheLeaderWhileAnotherNodeIsUp() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      counts.merge(chooser.choose(NODES, n -> true, "n2", Map.of(), 0, random), 1, Integer::sum);
    }
    assertThat(counts).doesNotContainKey("n2").containsOnlyKeys("n1", "n3", "n4", "n5");
  }

  @Test
  void onlyNodesThatAreUpUnlessNoneIs() {
    Set<String> up = Set.of("n2", "n4");
    for (int i = 0; i < 500; i++) {
      assertThat(chooser.choose(NODES, up::contains, "n2", Map.of(), 0, random)).isEqualTo("n4");
    }
    // Only the leader is up: it is the only choice left.
    assertThat(chooser.choose(NODES, "n2"::equals, "n2", Map.of(), 0, random)).isEqualTo("n2");
    // Nothing is up: some node, the call will fail there.
    assertThat(chooser.choose(NODES, n -> false, "n2", Map.of(), 0, random)).isIn(NODES);
  }

  @Test
  void mostlyANodeJustRestartedOrResumed() {
    long now = Duration.ofSeconds(100).toNanos();
    Map<String, Long> backAt = Map.of("n3", now - Duration.ofSeconds(1).toNanos(), "n5", now - Duration.ofSeconds(10).toNanos());
    int n3 = 0;
    int n5 = 0;
    int total = 5000;
    for (int i = 0; i < total; i++) {
      String c = chooser.choose(NODES, n -> true, "n1", backAt, now, random);
      n3 += c.equals("n3") ? 1 : 0;
      n5 += c.equals("n5") ? 1 : 0;
    }
    // 0.8 directly plus a quarter of the remaining 0.2: about 85%.
    assertThat(n3).isBetween((int) (total * 0.80), (int) (total * 0.90));
    // n5 came back too long ago to be preferred: an ordinary quarter of the 20%.
    assertThat(n5).isBetween((int) (total * 0.03), (int) (total * 0.08));
  }

  @Test
  void aRecentlyRestartedLeaderIsStillAvoided() {
    long now = 1_000_000_000L;
    for (int i = 0; i < 500; i++) {
      assertThat(chooser.choose(NODES, n -> true, "n3", Map.of("n3", now), now, random)).isNotEqualTo("n3");
    }
  }
}
