package io.raftlab.sim.invariant;

import java.util.Arrays;

/**
 * Open-addressing map from an entry's (index, term) to a long (the prefix hash of the log ending
 * there). Allocation-free on lookups, so the per-append Log Matching check stays cheap.
 */
final class EntryKeyMap {

  private long[] indexes = new long[1024];
  private long[] terms = new long[1024];
  private long[] values = new long[1024];
  private int size;

  /** Stores {@code value} under (index, term) unless present; returns the value now stored. */
  long putIfAbsent(long index, long term, long value) {
    if (size * 2 >= indexes.length) {
      grow();
    }
    int mask = indexes.length - 1;
    int i = slot(index, term) & mask;
    while (true) {
      if (indexes[i] == 0) {
        indexes[i] = index;
        terms[i] = term;
        values[i] = value;
        size++;
        return value;
      }
      if (indexes[i] == index && terms[i] == term) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  private static int slot(long index, long term) {
    long h = index * 0x9E3779B97F4A7C15L + term * 0xC2B2AE3D27D4EB4FL;
    return (int) (h ^ (h >>> 29));
  }

  private void grow() {
    long[] oi = indexes;
    long[] ot = terms;
    long[] ov = values;
    indexes = new long[oi.length * 2];
    terms = new long[oi.length * 2];
    values = new long[oi.length * 2];
    size = 0;
    for (int k = 0; k < oi.length; k++) {
      if (oi[k] != 0) {
        putIfAbsent(oi[k], ot[k], ov[k]);
      }
    }
    Arrays.fill(oi, 0);
  }
}
