package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.PlantedBug;

/** PRE_VOTE and VOTE: grant at most one vote per term (§5.2), only to an up-to-date log (§5.4.1). */
final class VoteRequestHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    boolean preVote = m.type() == MessageType.PRE_VOTE;
    MessageType response = preVote ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
    boolean canVote = m.from().equals(r.vote)
        || (r.vote == null && r.leader == null)
        // A pre-vote for a later term says nothing about our vote in this one.
        || (preVote && m.term() > r.term);
    boolean upToDate = r.cfg.has(PlantedBug.VOTE_WITHOUT_LOG_CHECK) || r.log.isUpToDate(m.index(), m.logTerm());
    if (canVote && upToDate) {
      // The grant carries the candidate's term, so a pre-candidate can tell it from a stale answer.
      r.send(Message.of(response, r.id, m.from(), m.term()).build());
      if (!preVote) {
        r.electionElapsed = 0;
        r.vote = m.from();
      }
    } else {
      r.send(Message.of(response, r.id, m.from(), r.term).reject(true).build());
    }
  }
}
