package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.Role;

/** APPEND: the consistency check, conflict truncation and commit advance (§5.3). */
final class AppendRequestHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    if (r.role == Role.LEADER) {
      return; // two leaders in one term cannot happen; the simulator's Election Safety check reports it
    }
    if (r.role != Role.FOLLOWER || !m.from().equals(r.leader)) {
      r.becomeFollower(m.term(), m.from());
    }
    r.electionElapsed = 0;
    if (m.index() < r.log.committed) {
      // Already committed here: say how far we agree and let the leader move on.
      r.send(Message.of(MessageType.APPEND_RESPONSE, r.id, m.from(), r.term).index(r.log.committed).build());
      return;
    }
    long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      r.send(Message.of(MessageType.APPEND_RESPONSE, r.id, m.from(), r.term).index(lastNew).build());
      return;
    }
    // Fast back-off: the largest index at or below the probe whose term is at most the probe's.
    long hint = r.log.findConflictByTerm(Math.min(m.index(), r.log.lastIndex()), m.logTerm());
    r.send(Message.of(MessageType.APPEND_RESPONSE, r.id, m.from(), r.term)
        .reject(true).index(m.index()).rejectHint(hint).logTerm(r.log.term(hint)).build());
  }
}
