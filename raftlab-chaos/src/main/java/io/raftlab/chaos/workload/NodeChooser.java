package io.raftlab.chaos.workload;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Where a diabolical client sends its next operation: never to the last known leader while
 * another node is up, and with probability {@code preferRecent} to a node that was restarted or
 * resumed within {@code recentWindow} (when there is one), so that followers and nodes just back
 * from a fault get as many requests as possible.
 */
public final class NodeChooser {

  private final Duration recentWindow;
  private final double preferRecent;

  public NodeChooser(Duration recentWindow, double preferRecent) {
    if (preferRecent < 0 || preferRecent > 1) {
      throw new IllegalArgumentException("preferRecent: must be 0..1, got " + preferRecent);
    }
    this.recentWindow = recentWindow;
    this.preferRecent = preferRecent;
  }

  /**
   * @param nodes every node of the cluster (not empty)
   * @param isUp whether a node can take requests now (its process runs)
   * @param lastLeader the last known leader, or null
   * @param backAtNanos when each node was last restarted or resumed ({@link System#nanoTime()})
   */
  public String choose(List<String> nodes, Predicate<String> isUp, String lastLeader, Map<String, Long> backAtNanos, long nowNanos,
      SplittableRandom random) {
    List<String> up = nodes.stream().filter(isUp).toList();
    if (up.isEmpty()) {
      return nodes.get(random.nextInt(nodes.size())); // every node is down: the request fails wherever it goes
    }
    List<String> candidates = up.stream().filter(n -> !n.equals(lastLeader)).toList();
    if (candidates.isEmpty()) {
      candidates = up;
    }
    List<String> recent = candidates.stream().filter(n -> {
      Long at = backAtNanos.get(n);
      return at != null && nowNanos - at <= recentWindow.toNanos();
    }).toList();
    if (!recent.isEmpty() && random.nextDouble() < preferRecent) {
      return recent.get(random.nextInt(recent.size()));
    }
    return candidates.get(random.nextInt(candidates.size()));
  }
}
