package io.raftlab.checker.linearizability;

/**
 * The set of (linearized operations, state) pairs already explored, so the search never explores
 * one twice. Open addressing on a 64-bit hash; each entry keeps its state and a compact copy of
 * the linearized bitset, so equality is exact. The copy is compact: the bitset is split into a main
 * region (operations with a return, linearized roughly in order) and a tail region (INFO
 * operations, which may stay unlinearized forever); of the main region only the words from the
 * first not-all-ones word to the last non-zero word are kept.
 * Its memory is counted and capped: {@link #add} reports when the cap would be passed.
 */
final class LinearizationCache {
  /** Result of {@link #add}. */
  enum Added {
    NEW,
    SEEN,
    FULL
  }

  interface StateEquality {
    boolean same(Object a, Object b);
  }

  private static final int ENTRY_OVERHEAD_BYTES = 8 + 4 + 8 + 8 + 16; // hash, base, state ref, bits ref, array header
  private final long maxBytes;
  private final StateEquality equality;
  private long[] hashes;
  private int[] bases;
  private Object[] states;
  private long[][] bits;
  private int size;
  private long bytes;

  LinearizationCache(long maxBytes, StateEquality equality) {
    this.maxBytes = maxBytes;
    this.equality = equality;
    allocate(1024);
  }

  private void allocate(int capacity) {
    hashes = new long[capacity];
    bases = new int[capacity];
    states = new Object[capacity];
    bits = new long[capacity][];
  }

  int size() {
    return size;
  }

  long bytes() {
    return bytes;
  }

  /**
   * Adds (words[base..high] + words[tailStart..tailEnd), state) under {@code hash} unless present.
   *
   * @param words the full linearized bitset
   * @param base index of the first main-region word that is not all ones (all below are all ones)
   * @param high index of the last non-zero main-region word (below base when none)
   * @param tailStart first word of the tail (INFO) region
   * @param tailEnd end (exclusive) of the tail region
   */
  Added add(long hash, long[] words, int base, int high, int tailStart, int tailEnd, Object state) {
    int mask = hashes.length - 1;
    int slot = (int) mix(hash) & mask;
    int mainLength = Math.max(0, high - base + 1);
    while (bits[slot] != null) {
      if (hashes[slot] == hash && bases[slot] == base && equalWords(bits[slot], words, base, mainLength, tailStart, tailEnd)
          && equality.same(states[slot], state)) {
        return Added.SEEN;
      }
      slot = (slot + 1) & mask;
    }
    int length = mainLength + (tailEnd - tailStart);
    long entryBytes = ENTRY_OVERHEAD_BYTES + 8L * length;
    long tableGrowth = size + 1 > hashes.length / 2 ? (long) hashes.length * (8 + 4 + 8 + 8) : 0;
    if (bytes + entryBytes + tableGrowth + (long) hashes.length * 28 > maxBytes) {
      return Added.FULL;
    }
    long[] copy = EMPTY;
    if (length > 0) {
      copy = new long[length];
      System.arraycopy(words, base, copy, 0, mainLength);
      System.arraycopy(words, tailStart, copy, mainLength, tailEnd - tailStart);
    }
    hashes[slot] = hash;
    bases[slot] = base;
    states[slot] = state;
    bits[slot] = copy;
    size++;
    bytes += entryBytes;
    if (size > hashes.length / 2) {
      grow();
    }
    return Added.NEW;
  }

  private static final long[] EMPTY = new long[0];

  private static boolean equalWords(long[] stored, long[] words, int base, int mainLength, int tailStart, int tailEnd) {
    if (stored.length != mainLength + (tailEnd - tailStart)) {
      return false;
    }
    for (int i = 0; i < mainLength; i++) {
      if (stored[i] != words[base + i]) {
        return false;
      }
    }
    for (int i = tailStart; i < tailEnd; i++) {
      if (stored[mainLength + i - tailStart] != words[i]) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    long[] oldHashes = hashes;
    int[] oldBases = bases;
    Object[] oldStates = states;
    long[][] oldBits = bits;
    allocate(oldHashes.length * 2);
    int mask = hashes.length - 1;
    for (int i = 0; i < oldHashes.length; i++) {
      if (oldBits[i] != null) {
        int slot = (int) mix(oldHashes[i]) & mask;
        while (bits[slot] != null) {
          slot = (slot + 1) & mask;
        }
        hashes[slot] = oldHashes[i];
        bases[slot] = oldBases[i];
        states[slot] = oldStates[i];
        bits[slot] = oldBits[i];
      }
    }
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
