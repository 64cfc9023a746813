package io.raftlab.checker.history;

/** How an operation ended, in Jepsen's vocabulary. */
public enum Outcome {
  /** Definitely took effect; for a read, the value read is known. */
  OK,
  /** Definitely never took effect; the checker drops it. */
  FAIL,
  /** Unknown: it may take effect at any point after its invocation, or never. */
  INFO
}
