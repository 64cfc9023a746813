package io.raftlab.sim.client;

/**
 * A client issuing one operation at a time. After an indeterminate outcome (info) it continues as
 * a new process, as Jepsen-style checkers expect: the old process may still have an op in flight.
 */
public final class SimulatedClient {

  public final int index;
  private final int clientCount;
  private int process;
  /** The node the client believes leads, or -1. */
  public int leaderHint = -1;
  public ClientOp current;

  public SimulatedClient(int index, int clientCount) {
    this.index = index;
    this.clientCount = clientCount;
    this.process = index;
  }

  public int process() {
    return process;
  }

  /** Moves to a fresh process id after an op ended in doubt. */
  public void retireProcess() {
    process += clientCount;
  }
}
