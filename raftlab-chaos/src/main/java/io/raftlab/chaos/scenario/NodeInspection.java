package io.raftlab.chaos.scenario;

import io.raftlab.api.admin.NodeState;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.client.AdminClient;
import io.raftlab.client.EndpointAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each node says about itself (role, term, the leader it follows), asked through raftlab's
 * admin service at the node's current client address. Every LEADER answer is also remembered by
 * term, for {@code expect one leader per term}.
 */
final class NodeInspection implements AutoCloseable {

  /** One node's answer; {@code role} is DOWN when it did not answer. */
  record View(String node, String role, long term, String leader, long commit) {
    boolean isLeader() {
      return "LEADER".equals(role);
    }
  }

  private final ClusterUnderTest cluster;
  private final Duration timeout;
  private final Map<String, AdminClient> clients = new ConcurrentHashMap<>();
  private final Map<Long, Set<String>> leadersByTerm = new ConcurrentHashMap<>();

  NodeInspection(ClusterUnderTest cluster, Duration timeout) {
    this.cluster = cluster;
    this.timeout = timeout;
  }

  View inspect(String node) {
    Optional<String> addr = cluster.isRunning(node) ? cluster.clientAddress(node) : Optional.empty();
    if (addr.isEmpty()) {
      return new View(node, "DOWN", 0, "", 0);
    }
    // Keyed by address: a restarted node listens on a new port.
    AdminClient admin = clients.computeIfAbsent(addr.get(),
        a -> AdminClient.connect(EndpointAddress.parse(a, "client address of " + node), timeout));
    try {
      NodeState s = admin.getState();
      View v = new View(node, s.getRole(), s.getTerm(), s.getLeader(), s.getCommitIndex());
      if (v.isLeader()) {
        leadersByTerm.computeIfAbsent(v.term(), t -> ConcurrentHashMap.newKeySet()).add(node);
      }
      return v;
    } catch (RuntimeException e) {
      return new View(node, "DOWN", 0, "", 0);
    }
  }

  List<View> inspectAll() {
    List<View> out = new ArrayList<>();
    for (String n : cluster.nodes()) {
      out.add(inspect(n));
    }
    return out;
  }

  /** The leader of the highest term any node reports, if exactly one node claims it. */
  static Optional<View> leaderOf(List<View> views) {
    long maxTerm = views.stream().mapToLong(View::term).max().orElse(0);
    List<View> leaders = views.stream().filter(v -> v.isLeader() && v.term() == maxTerm).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  static String describe(List<View> views) {
    StringBuilder sb = new StringBuilder();
    for (View v : views) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(v.node()).append(' ').append(v.role());
      if (!"DOWN".equals(v.role())) {
        sb.append(" term ").append(v.term());
      }
    }
    return sb.toString();
  }

  /** Terms in which more than one node said it was leader, with those nodes. */
  Map<Long, Set<String>> termsWithSeveralLeaders() {
    Map<Long, Set<String>> out = new LinkedHashMap<>();
    for (Map.Entry<Long, Set<String>> e : new java.util.TreeMap<>(leadersByTerm).entrySet()) {
      if (e.getValue().size() > 1) {
        out.put(e.getKey(), new TreeSet<>(e.getValue()));
      }
    }
    return out;
  }

  int termsSeen() {
    return leadersByTerm.size();
  }

  @Override
  public void close() {
    for (AdminClient c : clients.values()) {
      c.close();
    }
    clients.clear();
  }
}
