package io.raftlab.chaos.adapter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a run asks of an {@link Implementation}: {@code nodes} nodes with their data under
 * {@code dir}, the implementation's own parameters in {@code settings} (for raftlab the server's
 * parameter names; an adapter names what it accepts), and how long start-up may take.
 * {@code faultNetwork} false says the run injects no network faults (a failover measurement), so
 * an implementation may wire its nodes directly instead of through its fault network; its
 * {@code network()} may then refuse.
 */
public record ClusterRequest(Path dir, int nodes, Map<String, String> settings, Duration startTimeout, boolean faultNetwork) {

  public ClusterRequest {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes: must be at least 1, got " + nodes);
    }
    settings = Map.copyOf(settings);
  }

  /** A request for a cluster whose network the run may fault. */
  public ClusterRequest(Path dir, int nodes, Map<String, String> settings, Duration startTimeout) {
    this(dir, nodes, settings, startTimeout, true);
  }

  /** The same request for nodes wired directly: no faults will be injected. */
  public ClusterRequest withoutFaultNetwork() {
    return new ClusterRequest(dir, nodes, settings, startTimeout, false);
  }
}
