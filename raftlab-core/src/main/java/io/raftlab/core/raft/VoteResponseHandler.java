package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.Role;

/** PRE_VOTE_RESPONSE and VOTE_RESPONSE: a quorum of grants wins the (pre-)election. */
final class VoteResponseHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    boolean mine = (r.role == Role.PRE_CANDIDATE && m.type() == MessageType.PRE_VOTE_RESPONSE)
        || (r.role == Role.CANDIDATE && m.type() == MessageType.VOTE_RESPONSE);
    if (!mine) {
      return;
    }
    r.votes.putIfAbsent(m.from(), !m.reject());
    switch (r.voteResult()) {
      case WON -> {
        if (r.role == Role.PRE_CANDIDATE) {
          r.becomeCandidate(false);
        } else {
          r.becomeLeader();
        }
      }
      case LOST -> r.becomeFollower(r.term, null);
      case PENDING -> {}
    }
  }
}
