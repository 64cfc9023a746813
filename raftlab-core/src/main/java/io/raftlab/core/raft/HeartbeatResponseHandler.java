package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.Role;

/** HEARTBEAT_RESPONSE: the follower is alive; resume replication; count it toward read rounds. */
final class HeartbeatResponseHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    if (r.role != Role.LEADER) {
      return;
    }
    Progress pr = r.progress.get(m.from());
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) {
      // A lost response must not wedge the window forever.
      pr.inflights.freeFirst();
    }
    if (pr.match < r.log.lastIndex()) {
      r.sendAppend(m.from(), true);
    }
    if (m.context() > pr.ackedRound) {
      pr.ackedRound = m.context();
      r.releaseReads();
    }
  }
}
