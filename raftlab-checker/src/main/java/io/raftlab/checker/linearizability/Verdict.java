package io.raftlab.checker.linearizability;

/** The answer of a linearizability check. */
public enum Verdict {
  /** A legal sequential order exists. */
  LINEARIZABLE,
  /** No legal sequential order exists (a real violation). */
  NOT_LINEARIZABLE,
  /** The time or memory budget ran out before an answer was found; nothing is claimed. */
  UNKNOWN
}
