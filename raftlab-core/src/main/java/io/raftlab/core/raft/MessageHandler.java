package io.raftlab.core.raft;

import io.raftlab.core.Message;

/** What one message type does to the state. Called after the term rules of {@link Raft#step}. */
interface MessageHandler {
  void handle(Raft raft, Message m);
}
