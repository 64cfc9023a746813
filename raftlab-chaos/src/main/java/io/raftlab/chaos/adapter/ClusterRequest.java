package io.raftlab.chaos.adapter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a run asks of an {@link Implementation}: {@code nodes} nodes with their data under
 * {@code dir}, the implementation's own parameters in {@code settings} (for raftlab the server's
 * parameter names; an adapter names what it accepts), and how long start-up may take.
 */
public record ClusterRequest(Path dir, int nodes, Map<String, String> settings, Duration startTimeout) {

  public ClusterRequest {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes: must be at least 1, got " + nodes);
    }
    settings = Map.copyOf(settings);
  }
}
