package io.raftlab.core.raft;

import java.util.ArrayDeque;

/**
 * Read requests waiting for the leader to confirm it still leads (Raft §8, dissertation §6.4).
 * Each request gets the current commit index and a read round; the leader sends heartbeats
 * carrying the newest round, and a request is confirmed once a quorum (counting the leader)
 * has acknowledged a heartbeat of that round or a later one: a heartbeat sent after the request
 * arrived proves leadership at a moment after it arrived. Rounds only grow, so requests are
 * confirmed in queue order.
 */
final class ReadIndexTracker {

  /** {@code from} is the node to answer (the leader itself or the follower that forwarded it). */
  record PendingRead(long context, String from, long index, long round) {}

  private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();
  /** Requests that arrived before the leader committed an entry of its own term. */
  private final ArrayDeque<PendingRead> awaitingCommit = new ArrayDeque<>();
  private long round;

  long currentRound() {
    return round;
  }

  long nextRound() {
    return ++round;
  }

  void add(PendingRead r) {
    pending.addLast(r);
  }

  void park(long context, String from) {
    awaitingCommit.addLast(new PendingRead(context, from, 0, 0));
  }

  ArrayDeque<PendingRead> unpark() {
    ArrayDeque<PendingRead> out = new ArrayDeque<>(awaitingCommit);
    awaitingCommit.clear();
    return out;
  }

  boolean hasParked() {
    return !awaitingCommit.isEmpty();
  }

  PendingRead peek() {
    return pending.peekFirst();
  }

  PendingRead poll() {
    return pending.pollFirst();
  }

  /** Leadership lost: nothing pending can be confirmed any more; callers time out. */
  void clear() {
    pending.clear();
    awaitingCommit.clear();
  }
}
