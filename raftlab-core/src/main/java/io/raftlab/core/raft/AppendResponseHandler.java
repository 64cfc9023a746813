package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.Role;

/** APPEND_RESPONSE: move nextIndex/matchIndex (§5.3), commit, keep the pipeline full. */
final class AppendResponseHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    if (r.role != Role.LEADER) {
      return;
    }
    Progress pr = r.progress.get(m.from());
    pr.recentActive = true;
    if (m.reject()) {
      // The follower's hint (index, term) lands on our log's last index whose term is at most
      // the hint's term: everything after it in that term range cannot match.
      long hint = m.logTerm() > 0 ? r.log.findConflictByTerm(m.rejectHint(), m.logTerm()) : m.rejectHint();
      if (pr.maybeDecrTo(m.index(), hint)) {
        if (pr.state == Progress.State.REPLICATE) {
          pr.becomeProbe();
          pr.next = Math.max(pr.match + 1, Math.min(m.index(), hint + 1));
        }
        r.sendAppend(m.from(), true);
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index())) {
      return;
    }
    if (pr.state == Progress.State.PROBE) {
      pr.becomeReplicate();
    } else {
      pr.inflights.freeUpTo(m.index());
    }
    if (r.maybeCommit()) {
      r.bcastAppend();
    } else if (wasPaused) {
      // The follower was waiting on this probe; tell it the commit index even if no entries are new.
      r.sendAppend(m.from(), true);
    }
    while (r.sendAppend(m.from(), false)) {
      // keep streaming until the window is full or the follower has everything
    }
    if (m.from().equals(r.leadTransferee) && pr.match == r.log.lastIndex()) {
      r.sendTimeoutNow(m.from());
    }
  }
}
