package io.raftlab.sim.invariant;

/** What a checker may ask a live node about its in-memory log. */
public interface LogView {

  /** The term of the entry at {@code index}, or -1 if the log does not hold it. */
  long termAt(long index);

  long lastIndex();
}
