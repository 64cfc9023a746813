package io.raftlab.core;

/**
 * Classic Raft bugs that tests switch on to prove the simulator and checkers catch them.
 * Never enable outside tests; a node with any of these is unsafe by construction.
 */
public enum PlantedBug {
  /** Commit an entry of an earlier term by counting replicas (what Figure 8 of the paper forbids). */
  COMMIT_OLD_TERM_BY_COUNT,
  /** Grant a vote without checking that the candidate's log is at least as up-to-date (§5.4.1). */
  VOTE_WITHOUT_LOG_CHECK,
  /** Forget the vote on restart, so a node can vote twice in one term. */
  FORGET_VOTE_ON_RESTART,
  /** Answer a read index at once, without a heartbeat round confirming leadership (§8). */
  READ_WITHOUT_QUORUM,
  /**
   * Count a candidate's own vote before its term and vote are on disk. Its vote requests leave
   * before that write, so a candidate that crashes in the write could lead, forget the term, and
   * then vote for a second leader of it.
   */
  COUNT_OWN_VOTE_BEFORE_WRITE
}
