package io.raftlab.chaos.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A timed list of events for one trial: client operations by plan clients and faults, each at an
 * offset from the trial's start. Its text form has one event per line, e.g.
 * {@code +120ms SET k3 v17 via c2}; {@link PlanParser} reads it back to an equal plan.
 *
 * @param nodes the cluster size the plan was made for (node names n1..nodes)
 */
public record Plan(int nodes, List<Timed> events) {

  /** An event at {@code offsetMillis} after the trial's start. */
  public record Timed(long offsetMillis, PlanEvent event) {
    public Timed {
      if (offsetMillis < 0) {
        throw new IllegalArgumentException("offsetMillis: must be >= 0, got " + offsetMillis);
      }
    }

    public String render() {
      return "+" + offsetMillis + "ms " + event.render();
    }
  }

  public Plan {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes: must be at least 1, got " + nodes);
    }
    events = List.copyOf(events);
    for (int i = 1; i < events.size(); i++) {
      if (events.get(i).offsetMillis() < events.get(i - 1).offsetMillis()) {
        throw new IllegalArgumentException("events: offsets must not decrease (event " + (i + 1) + ")");
      }
    }
  }

  /** Node names n1..nN. */
  public static List<String> nodeNames(int nodes) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      out.add("n" + i);
    }
    return out;
  }

  public List<String> nodeNames() {
    return nodeNames(nodes);
  }

  /** The plan clients that appear in it, sorted by number (c0, c1, ...). */
  public List<String> clients() {
    TreeSet<Integer> ids = new TreeSet<>();
    for (Timed t : events) {
      if (t.event() instanceof PlanEvent.Get g) {
        ids.add(clientNumber(g.client()));
      } else if (t.event() instanceof PlanEvent.Set s) {
        ids.add(clientNumber(s.client()));
      }
    }
    return ids.stream().map(i -> "c" + i).toList();
  }

  static int clientNumber(String client) {
    return Integer.parseInt(client.substring(1));
  }

  /** The offset of the last event (0 for an empty plan). */
  public long lengthMillis() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).offsetMillis();
  }

  /** The halves a {@code BRIDGE node} separates: the other nodes in order, first half and second half. */
  public static List<List<String>> bridgeHalves(List<String> nodes, String bridge) {
    List<String> others = nodes.stream().filter(n -> !n.equals(bridge)).toList();
    int half = others.size() / 2;
    return List.of(others.subList(0, half), others.subList(half, others.size()));
  }

  /** The plan text: a header comment, then one event per line. */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("# raftlab monkey plan, ").append(events.size()).append(" events\n");
    b.append("NODES ").append(nodes).append('\n');
    for (Timed t : events) {
      b.append(t.render()).append('\n');
    }
    return b.toString();
  }
}
