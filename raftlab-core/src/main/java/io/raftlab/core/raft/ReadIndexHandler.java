package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.Role;

/** READ_INDEX: a follower asks the leader for a read point for its client. */
final class ReadIndexHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    if (r.role == Role.LEADER) {
      r.handleReadRequest(m.context(), m.from());
    }
    // Not leader: drop it; the follower's caller times out and retries.
  }
}
