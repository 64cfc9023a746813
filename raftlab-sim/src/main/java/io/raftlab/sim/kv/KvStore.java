package io.raftlab.sim.kv;

/** The replicated state machine: a handful of integer registers, each absent until first written. */
public final class KvStore {

  private final long[] values;
  private final boolean[] present;

  public KvStore(int keys) {
    values = new long[keys];
    present = new boolean[keys];
  }

  /** Applies {@code command}; true if it took effect (a write always does, a cas if it matched). */
  public boolean apply(KvCommand command) {
    int k = command.key();
    if (k >= values.length) {
      throw new IllegalArgumentException("key index " + k + " is outside the store's " + values.length + " keys");
    }
    if (command.op() == KvCommand.Op.WRITE) {
      values[k] = command.value();
      present[k] = true;
      return true;
    }
    if (present[k] && values[k] == command.expected()) {
      values[k] = command.value();
      return true;
    }
    return false;
  }

  /** The value of {@code key}, or null if never written. */
  public Long get(int key) {
    return present[key] ? values[key] : null;
  }

  /** A digest of the whole state, compared across nodes after each applied index. */
  public long digest() {
    long h = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < values.length; i++) {
      h = (h ^ (present[i] ? values[i] : 0x5bd1e995L)) * 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
    }
    return h;
  }
}
