package io.raftlab.core.raft;

import io.raftlab.core.Message;
import io.raftlab.core.ReadState;

/** READ_INDEX_RESPONSE: the leader confirmed a read point for one of our clients. */
final class ReadIndexResponseHandler implements MessageHandler {

  @Override
  public void handle(Raft r, Message m) {
    r.addReadState(new ReadState(m.context(), m.index()));
  }
}
