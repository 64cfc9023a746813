package io.raftlab.storage.fsync;

/** When written bytes are forced to stable storage. */
public enum FsyncPolicy {
  /** Every batch (and every hard state) is fsynced before the call returns. The only safe policy. */
  ALWAYS,
  /**
   * Nothing is fsynced: the OS writes back when it likes. For experiments only: a machine crash can
   * lose entries and votes the node already acknowledged, which breaks Raft's safety.
   */
  NEVER
}
