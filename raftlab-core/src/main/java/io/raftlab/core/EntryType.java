package io.raftlab.core;

/** What a log entry carries. Membership changes will add a kind here. */
public enum EntryType {
  /** A client command for the state machine. */
  NORMAL,
  /** The empty entry a new leader appends so it can commit entries of earlier terms (Raft §5.4.2). */
  NOOP
}
