package io.raftlab.server.kv;

/**
 * The answer to one applied write, kept in the client's session so a retry gets the same answer.
 * {@code error} is non-null when the write was refused by the state machine and changed nothing.
 */
public record WriteResult(
    long index,
    long term,
    boolean succeeded,
    boolean found,
    String value,
    WriteError error) {

  public enum WriteError {
    /** The client already moved past this sequence number; the request is an old duplicate. */
    STALE_SEQUENCE
  }

  static WriteResult refused(long index, long term, WriteError error) {
    return new WriteResult(index, term, false, false, null, error);
  }
}
