package io.raftlab.core;

import java.util.Arrays;

/**
 * One log entry. {@code data} is owned by the entry once created: callers must not mutate it
 * (the core never copies payloads, so that a step stays cheap).
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

  private static final byte[] EMPTY = new byte[0];

  public Entry {
    if (term < 0 || index < 0) {
      throw new IllegalArgumentException("entry term and index must be >= 0, got term=" + term + " index=" + index);
    }
    if (type == null) {
      throw new IllegalArgumentException("entry type is required");
    }
    if (data == null) {
      data = EMPTY;
    }
  }

  public static Entry normal(long term, long index, byte[] data) {
    return new Entry(term, index, EntryType.NORMAL, data);
  }

  /** Size used for batching limits: payload plus a fixed per-entry overhead. */
  public int sizeBytes() {
    return data.length + 24;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.term == term
        && e.index == index
        && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return (int) (31 * (31 * term + index) + Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return index + "@" + term + (type == EntryType.NORMAL ? "" : ":" + type);
  }
}
