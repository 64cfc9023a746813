package io.raftlab.core;

/** Messages exchanged between nodes. Each type has one handler class in the core. */
public enum MessageType {
  PRE_VOTE,
  PRE_VOTE_RESPONSE,
  VOTE,
  VOTE_RESPONSE,
  APPEND,
  APPEND_RESPONSE,
  HEARTBEAT,
  HEARTBEAT_RESPONSE,
  /** Leader transfer: the recipient starts an election at once (dissertation §3.10). */
  TIMEOUT_NOW,
  /** A follower asks the leader for a read point on behalf of its client. */
  READ_INDEX,
  READ_INDEX_RESPONSE
}
