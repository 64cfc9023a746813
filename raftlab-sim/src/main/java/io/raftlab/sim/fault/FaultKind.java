package io.raftlab.sim.fault;

/** The faults the nemesis injects; {@link #json()} is the name in nemesis.jsonl. */
public enum FaultKind {
  /** Crash a node (unpersisted Readies are lost) and restart it from disk later. */
  KILL("kill"),
  /** Freeze a node: no ticks, no message handling, no disk progress, until resumed. */
  PAUSE("pause"),
  /** Cut a set of directed links, then heal them. */
  PARTITION("partition"),
  /** Ask the leader to hand leadership to another node. */
  TRANSFER("transfer"),
  /** Crash a node right after it granted a vote, restarting it shortly after. */
  CRASH_AFTER_VOTE("kill-after-vote"),
  /** Crash a leader the moment it advances its commit index, before that Ready is persisted or sent. */
  CRASH_ON_COMMIT("kill-on-commit"),
  /** Crash a leader right after it persisted new entries, before the Ready's messages are sent. */
  CRASH_BEFORE_SEND("kill-before-send"),
  /** Crash a candidate just before its own term and vote reach disk (its vote requests have left): the write is lost. */
  CRASH_BEFORE_VOTE_WRITE("kill-before-vote-write");

  private final String json;

  FaultKind(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }
}
