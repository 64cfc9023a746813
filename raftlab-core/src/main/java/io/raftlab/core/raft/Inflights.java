package io.raftlab.core.raft;

/**
 * The last indexes of AppendEntries sent to one follower and not yet acknowledged, bounded so a
 * slow follower cannot make the leader queue messages without limit. A ring buffer of longs.
 */
final class Inflights {

  private final long[] buffer;
  private int start;
  private int count;

  Inflights(int capacity) {
    this.buffer = new long[capacity];
  }

  boolean full() {
    return count == buffer.length;
  }

  int count() {
    return count;
  }

  void add(long lastIndex) {
    if (full()) {
      throw new IllegalStateException("inflight window is full (" + buffer.length + ")");
    }
    buffer[(start + count) % buffer.length] = lastIndex;
    count++;
  }

  /** An acknowledgement up to {@code index} frees every message that ended at or before it. */
  void freeUpTo(long index) {
    while (count > 0 && buffer[start] <= index) {
      start = (start + 1) % buffer.length;
      count--;
    }
  }

  void freeFirst() {
    if (count > 0) {
      start = (start + 1) % buffer.length;
      count--;
    }
  }

  void reset() {
    start = 0;
    count = 0;
  }
}
