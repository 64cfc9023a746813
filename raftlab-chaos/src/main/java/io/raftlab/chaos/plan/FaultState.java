package io.raftlab.chaos.plan;

import io.raftlab.chaos.net.NetworkFaults.Link;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes a plan has killed or paused and which directed links it has cut, after some prefix
 * of its events. The generator uses it to draw only possible events, the trial runner to know what
 * to repair, the tests to check that a plan never asks the impossible.
 */
public final class FaultState {

  private final List<String> nodes;
  private final Set<String> killed = new TreeSet<>();
  private final Set<String> paused = new TreeSet<>();
  private final Set<Link> blocked = new LinkedHashSet<>();

  public FaultState(List<String> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  public List<String> nodes() {
    return nodes;
  }

  public Set<String> killed() {
    return Set.copyOf(killed);
  }

  public Set<String> paused() {
    return Set.copyOf(paused);
  }

  public Set<Link> blocked() {
    return Set.copyOf(blocked);
  }

  /** Nodes that are killed or paused. */
  public int downCount() {
    return killed.size() + paused.size();
  }

  public boolean isUp(String node) {
    return !killed.contains(node) && !paused.contains(node);
  }

  /** Why {@code e} is impossible now, or null when it is possible. Client operations always are. */
  public String impossibility(PlanEvent e) {
    if (e instanceof PlanEvent.Kill k) {
      return check(k.node()) != null ? check(k.node()) : !isUp(k.node()) ? k.node() + " is not running (killed or paused)" : null;
    } else if (e instanceof PlanEvent.Revive r) {
      return check(r.node()) != null ? check(r.node()) : !killed.contains(r.node()) ? r.node() + " is not killed" : null;
    } else if (e instanceof PlanEvent.Pause p) {
      return check(p.node()) != null ? check(p.node()) : !isUp(p.node()) ? p.node() + " is not running (killed or paused)" : null;
    } else if (e instanceof PlanEvent.Resume r) {
      return check(r.node()) != null ? check(r.node()) : !paused.contains(r.node()) ? r.node() + " is not paused" : null;
    } else if (e instanceof PlanEvent.Partition p) {
      String bad = pair(p.a(), p.b());
      return bad != null ? bad : blocked.contains(new Link(p.a(), p.b())) && blocked.contains(new Link(p.b(), p.a()))
          ? p.a() + " and " + p.b() + " are already cut both ways" : null;
    } else if (e instanceof PlanEvent.PartitionOneWay p) {
      String bad = pair(p.from(), p.to());
      return bad != null ? bad : blocked.contains(new Link(p.from(), p.to())) ? p.from() + " -> " + p.to() + " is already cut" : null;
    } else if (e instanceof PlanEvent.Bridge b) {
      if (check(b.node()) != null) {
        return check(b.node());
      }
      if (nodes.size() < 3) {
        return "a bridge needs at least 3 nodes";
      }
      return bridgeLinks(b.node()).stream().allMatch(blocked::contains) ? "every link across the bridge at " + b.node() + " is already cut" : null;
    } else if (e instanceof PlanEvent.Heal h) {
      String bad = pair(h.a(), h.b());
      return bad != null ? bad : !blocked.contains(new Link(h.a(), h.b())) && !blocked.contains(new Link(h.b(), h.a()))
          ? "nothing is cut between " + h.a() + " and " + h.b() : null;
    } else if (e instanceof PlanEvent.HealAll) {
      return blocked.isEmpty() ? "nothing is cut" : null;
    }
    return null;
  }

  /** Applies {@code e}, which must be possible. */
  public void apply(PlanEvent e) {
    String why = impossibility(e);
    if (why != null) {
      throw new IllegalStateException(e.render() + ": " + why);
    }
    if (e instanceof PlanEvent.Kill k) {
      killed.add(k.node());
    } else if (e instanceof PlanEvent.Revive r) {
      killed.remove(r.node());
    } else if (e instanceof PlanEvent.Pause p) {
      paused.add(p.node());
    } else if (e instanceof PlanEvent.Resume r) {
      paused.remove(r.node());
    } else if (e instanceof PlanEvent.Partition p) {
      blocked.add(new Link(p.a(), p.b()));
      blocked.add(new Link(p.b(), p.a()));
    } else if (e instanceof PlanEvent.PartitionOneWay p) {
      blocked.add(new Link(p.from(), p.to()));
    } else if (e instanceof PlanEvent.Bridge b) {
      blocked.addAll(bridgeLinks(b.node()));
    } else if (e instanceof PlanEvent.Heal h) {
      blocked.remove(new Link(h.a(), h.b()));
      blocked.remove(new Link(h.b(), h.a()));
    } else if (e instanceof PlanEvent.HealAll) {
      blocked.clear();
    }
  }

  /** The directed links a bridge at {@code node} cuts: every pair across its two halves, both ways. */
  public List<Link> bridgeLinks(String node) {
    List<List<String>> halves = Plan.bridgeHalves(nodes, node);
    List<Link> out = new ArrayList<>();
    for (String a : halves.get(0)) {
      for (String b : halves.get(1)) {
        out.add(new Link(a, b));
        out.add(new Link(b, a));
      }
    }
    return out;
  }

  /** The events that undo every fault: HEALALL if anything is cut, then REV and RESUME per node. */
  public List<PlanEvent> repairs() {
    List<PlanEvent> out = new ArrayList<>();
    if (!blocked.isEmpty()) {
      out.add(new PlanEvent.HealAll());
    }
    killed.forEach(n -> out.add(new PlanEvent.Revive(n)));
    paused.forEach(n -> out.add(new PlanEvent.Resume(n)));
    return out;
  }

  private String check(String node) {
    return nodes.contains(node) ? null : "unknown node " + node + "; the nodes are " + nodes;
  }

  private String pair(String a, String b) {
    if (check(a) != null) {
      return check(a);
    }
    if (check(b) != null) {
      return check(b);
    }
    return a.equals(b) ? "a node cannot be cut from itself" : null;
  }
}
