package io.raftlab.sim.invariant;

/** The safety properties the simulator checks after every step; names as in the Raft paper (Figure 3). */
public enum Property {
  ELECTION_SAFETY("Election Safety"),
  LEADER_APPEND_ONLY("Leader Append-Only"),
  LOG_MATCHING("Log Matching"),
  LEADER_COMPLETENESS("Leader Completeness"),
  STATE_MACHINE_SAFETY("State Machine Safety"),
  ACKED_WRITE_DURABILITY("No Acknowledged Write Lost"),
  READ_FRESHNESS("Reads Not Stale"),
  /** Contract checks on what the core hands out: gap-free logs, commit within the log, in-order apply. */
  CORE_CONTRACT("Core Contract");

  private final String title;

  Property(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
