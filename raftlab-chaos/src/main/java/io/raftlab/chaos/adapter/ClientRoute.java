package io.raftlab.chaos.adapter;

import java.time.Duration;
import java.util.List;

/**
 * Where a client session sends its requests. {@code followLeader}: track the last known leader,
 * follow redirects and try the other {@code nodes} in order, failing only when none answers (the
 * standard client). Otherwise the session talks to {@code nodes.get(0)} alone and reports what that
 * node says, NOT_LEADER included (the diabolical client). {@code callTimeout} bounds one call; an
 * unanswered call is an unknown outcome, never a failure.
 */
public record ClientRoute(List<String> nodes, boolean followLeader, Duration callTimeout) {

  public ClientRoute {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: a client needs at least one node");
    }
    nodes = List.copyOf(nodes);
  }

  public static ClientRoute standard(List<String> nodes, Duration callTimeout) {
    return new ClientRoute(nodes, true, callTimeout);
  }

  public static ClientRoute pinned(String node, Duration callTimeout) {
    return new ClientRoute(List.of(node), false, callTimeout);
  }
}
