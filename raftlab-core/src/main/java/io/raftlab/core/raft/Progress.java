package io.raftlab.core.raft;

/**
 * The leader's view of one follower (Raft §5.3: nextIndex and matchIndex), plus flow control:
 * in PROBE the leader sends one AppendEntries at a time until it finds where the logs agree; in
 * REPLICATE it streams entries optimistically, up to a window of unacknowledged messages.
 */
final class Progress {

  enum State { PROBE, REPLICATE }

  long match;
  long next;
  State state = State.PROBE;
  /** In PROBE: an append was sent and not yet answered (a heartbeat response clears it). */
  boolean probeSent;
  /** Heard from since the last check-quorum round. */
  boolean recentActive;
  /** Highest read round this follower acknowledged with a heartbeat response. */
  long ackedRound;
  final Inflights inflights;

  Progress(long next, int maxInflight) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  boolean isPaused() {
    return state == State.PROBE ? probeSent : inflights.full();
  }

  void becomeProbe() {
    state = State.PROBE;
    next = match + 1;
    probeSent = false;
    inflights.reset();
  }

  void becomeReplicate() {
    state = State.REPLICATE;
    next = match + 1;
    probeSent = false;
    inflights.reset();
  }

  /** An acknowledgement up to {@code index}; returns true if it moved match forward. */
  boolean maybeUpdate(long index) {
    boolean updated = false;
    if (match < index) {
      match = index;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, index + 1);
    return updated;
  }

  /**
   * A rejection of the append whose previous index was {@code rejected}; {@code hint} is the
   * highest index that may match. Returns false if the rejection is stale.
   */
  boolean maybeDecrTo(long rejected, long hint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, hint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** Bookkeeping after sending entries ending at {@code lastIndex} (or none, a probe). */
  void sent(long lastIndex, boolean hadEntries) {
    if (state == State.REPLICATE) {
      if (hadEntries) {
        next = lastIndex + 1;
        inflights.add(lastIndex);
      }
    } else {
      probeSent = true;
    }
  }

  @Override
  public String toString() {
    return state + " match=" + match + " next=" + next + " inflight=" + inflights.count();
  }
}
