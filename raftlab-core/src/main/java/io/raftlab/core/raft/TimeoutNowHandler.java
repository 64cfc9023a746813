package io.raftlab.core.raft;

import io.raftlab.core.Message;

/** TIMEOUT_NOW: the leader hands over; campaign at once, past pre-vote and stickiness (§3.10). */
final class TimeoutNowHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    r.startElection(true);
  }
}
