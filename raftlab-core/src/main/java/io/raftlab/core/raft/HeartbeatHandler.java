package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.Role;

/** HEARTBEAT: the leader is alive; learn its commit index; acknowledge the read round. */
final class HeartbeatHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    if (r.role == Role.LEADER) {
      return;
    }
    if (r.role != Role.FOLLOWER || !m.from().equals(r.leader)) {
      r.becomeFollower(m.term(), m.from());
    }
    r.electionElapsed = 0;
    r.log.commitTo(Math.min(m.commit(), r.log.lastIndex()));
    r.send(Message.of(MessageType.HEARTBEAT_RESPONSE, r.id, m.from(), r.term).context(m.context()).build());
  }
}
