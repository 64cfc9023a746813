package io.raftlab.core;

import java.util.Map;

/**
 * A snapshot of a node's internal state, for inspection RPCs, tests and the simulator's
 * invariant checks. {@code progress} is empty unless the node is leader.
 */
public record NodeStatus(
    String id,
    Role role,
    long term,
    String vote,
    String leader,
    long commit,
    long applied,
    long firstIndex,
    long lastIndex,
    long lastTerm,
    long stableIndex,
    String leadTransferee,
    Map<String, PeerProgress> progress) {

  /** The leader's view of one follower's replication. */
  public record PeerProgress(long match, long next, String state, int inflight, boolean recentActive) {}
}
