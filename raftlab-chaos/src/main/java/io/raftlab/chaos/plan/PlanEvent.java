package io.raftlab.chaos.plan;

/**
 * One step of a {@link Plan}, in the plan's text form (see {@link #render()}). Nodes are named
 * n1..nN, plan clients c0..cM, keys k1..kK.
 */
public sealed interface PlanEvent {

  /** The event as one line of plan text, without its offset. */
  String render();

  /** True for a client operation (GET, SET); false for a fault or its repair. */
  default boolean isClientOp() {
    return this instanceof Get || this instanceof Set;
  }

  record Get(String key, String client) implements PlanEvent {
    public String render() {
      return "GET " + key + " via " + client;
    }
  }

  record Set(String key, String value, String client) implements PlanEvent {
    public String render() {
      return "SET " + key + " " + value + " via " + client;
    }
  }

  /** SIGKILL, data kept. */
  record Kill(String node) implements PlanEvent {
    public String render() {
      return "KILL " + node;
    }
  }

  /** Restart of a killed node. */
  record Revive(String node) implements PlanEvent {
    public String render() {
      return "REV " + node;
    }
  }

  /** Cut both directions between two nodes. */
  record Partition(String a, String b) implements PlanEvent {
    public String render() {
      return "PART " + a + " " + b;
    }
  }

  /** Cut traffic from {@code from} to {@code to} only. */
  record PartitionOneWay(String from, String to) implements PlanEvent {
    public String render() {
      return "PART1 " + from + " -> " + to;
    }
  }

  /**
   * The other nodes, in id order, split into a first and a second half that cannot talk to each
   * other (both ways); {@code node} stays linked to both halves.
   */
  record Bridge(String node) implements PlanEvent {
    public String render() {
      return "BRIDGE " + node;
    }
  }

  /** Restore both directions between two nodes. */
  record Heal(String a, String b) implements PlanEvent {
    public String render() {
      return "HEAL " + a + " " + b;
    }
  }

  record HealAll() implements PlanEvent {
    public String render() {
      return "HEALALL";
    }
  }

  /** SIGSTOP. */
  record Pause(String node) implements PlanEvent {
    public String render() {
      return "PAUSE " + node;
    }
  }

  /** SIGCONT. */
  record Resume(String node) implements PlanEvent {
    public String render() {
      return "RESUME " + node;
    }
  }
}
