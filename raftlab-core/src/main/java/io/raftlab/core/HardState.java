package io.raftlab.core;

/**
 * The state that must be durable before any message that depends on it leaves the node: the
 * current term, the vote cast in it (null if none), and the commit index.
 */
public record HardState(long term, String vote, long commit) {
  public static final HardState EMPTY = new HardState(0, null, 0);

  public HardState {
    if (term < 0 || commit < 0) {
      throw new IllegalArgumentException("hard state term and commit must be >= 0, got term=" + term + " commit=" + commit);
    }
  }
}
