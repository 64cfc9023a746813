package io.raftlab.sim.net;

import io.raftlab.core.Message;
import io.raftlab.sim.event.EventQueue;
import io.raftlab.sim.event.SimEvent;
import java.util.random.RandomGenerator;

/**
 * The links between nodes. Each message may be dropped, delayed by a random amount (which is what
 * reorders messages) or duplicated; each copy is an independent DELIVER event. Partitions are a
 * multiset of blocked directed links, so one-way and overlapping partitions compose and healing one
 * leaves the others in force. Blocking is checked when a message arrives, so a partition also
 * catches messages already in flight.
 */
public final class SimulatedNetwork {

  private final int nodes;
  private final EventQueue queue;
  private final RandomGenerator random;
  private final double dropRate;
  private final double dupRate;
  private final long delayMinNanos;
  private final long delaySpanNanos;
  private final double longDelayRate;
  private final long longDelayMaxNanos;
  /** blocked[from * nodes + to] counts the partitions that cut the link from -> to. */
  private final int[] blocked;

  private long sent;
  private long dropped;
  private long duplicated;
  private long cutByPartition;

  public SimulatedNetwork(int nodes, EventQueue queue, RandomGenerator random, double dropRate, double dupRate,
      long delayMinNanos, long delayMaxNanos, double longDelayRate, long longDelayMaxNanos) {
    if (delayMaxNanos < delayMinNanos) {
      throw new IllegalArgumentException("delayMaxNanos " + delayMaxNanos + " is below delayMinNanos " + delayMinNanos);
    }
    this.nodes = nodes;
    this.queue = queue;
    this.random = random;
    this.dropRate = dropRate;
    this.dupRate = dupRate;
    this.delayMinNanos = delayMinNanos;
    this.delaySpanNanos = delayMaxNanos - delayMinNanos;
    this.longDelayRate = longDelayRate;
    this.longDelayMaxNanos = longDelayMaxNanos;
    this.blocked = new int[nodes * nodes];
  }

  /** Puts {@code message} from node {@code from} to node {@code to} on the wire. */
  public void send(int from, int to, Message message) {
    sent++;
    if (dropRate > 0 && random.nextDouble() < dropRate) {
      dropped++;
      return;
    }
    schedule(from, to, message);
    if (dupRate > 0 && random.nextDouble() < dupRate) {
      duplicated++;
      schedule(from, to, message);
    }
  }

  private void schedule(int from, int to, Message message) {
    long delay = delayMinNanos + (delaySpanNanos > 0 ? random.nextLong(delaySpanNanos + 1) : 0);
    if (longDelayRate > 0 && longDelayMaxNanos > 0 && random.nextDouble() < longDelayRate) {
      delay += random.nextLong(longDelayMaxNanos + 1);
    }
    queue.after(delay, new SimEvent(SimEvent.Kind.DELIVER, to, from, 0, message, null));
  }

  /**
   * Called when a DELIVER event fires: true if the message gets through, false if a partition
   * cuts its link now.
   */
  public boolean arrives(SimEvent delivery) {
    if (blocked[delivery.aux * nodes + delivery.node] > 0) {
      cutByPartition++;
      return false;
    }
    return true;
  }

  public boolean linkOpen(int from, int to) {
    return blocked[from * nodes + to] == 0;
  }

  /** Cuts the directed link from -> to (counted: each block needs its own unblock). */
  public void block(int from, int to) {
    checkNode(from);
    checkNode(to);
    blocked[from * nodes + to]++;
  }

  public void unblock(int from, int to) {
    checkNode(from);
    checkNode(to);
    if (blocked[from * nodes + to] == 0) {
      throw new IllegalStateException("link " + from + "->" + to + " is not blocked");
    }
    blocked[from * nodes + to]--;
  }

  private void checkNode(int n) {
    if (n < 0 || n >= nodes) {
      throw new IllegalArgumentException("node index must be in 0.." + (nodes - 1) + ", got " + n);
    }
  }

  public long sent() {
    return sent;
  }

  public long dropped() {
    return dropped;
  }

  public long duplicated() {
    return duplicated;
  }

  public long cutByPartition() {
    return cutByPartition;
  }
}
