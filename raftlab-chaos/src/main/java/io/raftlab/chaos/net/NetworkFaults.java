package io.raftlab.chaos.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Faults on the network between nodes, one directed link at a time. A blocked link is a
 * blackhole: the sender's requests time out, they are not refused. Backends: the proxy mesh
 * (no privileges) and, later, network namespaces with packet filters (root).
 */
public interface NetworkFaults {

  /** A directed link: traffic that {@code from} sends to {@code to}. */
  record Link(String from, String to) {
    @Override
    public String toString() {
      return from + "->" + to;
    }
  }

  /** The nodes this network connects. */
  List<String> nodes();

  /** Stops traffic from {@code from} to {@code to} (one direction). */
  void block(String from, String to);

  /** Restores traffic from {@code from} to {@code to}. */
  void unblock(String from, String to);

  /** Delays traffic from {@code from} to {@code to} by {@code delay} plus up to {@code jitter}. */
  void delay(String from, String to, Duration delay, Duration jitter);

  /** Resets the connections currently carrying traffic from {@code from} to {@code to}. */
  void resetConnections(String from, String to);

  /** Undoes every block and delay. */
  void healAll();

  /** The links blocked now. */
  Set<Link> blockedLinks();

  /** Blocks both directions between {@code a} and {@code b}. */
  default void partition(String a, String b) {
    block(a, b);
    block(b, a);
  }

  /** Heals both directions between {@code a} and {@code b}. */
  default void heal(String a, String b) {
    unblock(a, b);
    unblock(b, a);
  }

  /** Cuts every link between nodes of different groups, both ways; links inside a group stay. */
  default void split(Collection<? extends Collection<String>> groups) {
    List<List<String>> gs = new ArrayList<>();
    for (Collection<String> g : groups) {
      gs.add(List.copyOf(g));
    }
    for (int i = 0; i < gs.size(); i++) {
      for (int j = 0; j < gs.size(); j++) {
        if (i != j) {
          for (String a : gs.get(i)) {
            for (String b : gs.get(j)) {
              block(a, b);
            }
          }
        }
      }
    }
  }

  /** Cuts {@code node} off from every other node, both ways. */
  default void isolate(String node) {
    for (String other : nodes()) {
      if (!other.equals(node)) {
        partition(node, other);
      }
    }
  }
}
