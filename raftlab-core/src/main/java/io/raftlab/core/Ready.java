package io.raftlab.core;

import java.util.List;

/**
 * What the caller must do, in this order (the persistence contract):
 *
 * <ol>
 *   <li>send {@code earlyMessages} (they may leave before or while the entries are written);
 *   <li>durably append {@code entries} (an entry at an index already on disk replaces it and
 *       everything after it) and write {@code hardState} if not null;
 *   <li>only then send {@code messages};
 *   <li>apply {@code committedEntries} to the state machine, in order;
 *   <li>call {@link RaftNode#advance(Ready)}.
 * </ol>
 *
 * Readies must be handled in the order they were produced, but the node may be stepped and
 * ticked while a Ready is being persisted (a later Ready's messages simply wait their turn).
 * {@code readStates} may be answered once the state machine has applied their index.
 *
 * <p>{@code earlyMessages} are a leader's appends and heartbeats in a term that is already
 * durable: the leader may replicate entries while it writes them itself (dissertation §10.2.1),
 * because it counts itself towards a commit only for entries it has made durable. Sending them
 * first keeps a slow disk from holding back replication and heartbeats.
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<Entry> entries,
    List<Message> earlyMessages,
    List<Message> messages,
    List<Entry> committedEntries,
    List<ReadState> readStates) {

  public boolean isEmpty() {
    return softState == null && hardState == null && entries.isEmpty() && earlyMessages.isEmpty()
        && messages.isEmpty() && committedEntries.isEmpty() && readStates.isEmpty();
  }

  /** Every message, early ones first: for callers that persist synchronously before sending anything. */
  public List<Message> allMessages() {
    if (earlyMessages.isEmpty()) {
      return messages;
    }
    List<Message> all = new java.util.ArrayList<>(earlyMessages.size() + messages.size());
    all.addAll(earlyMessages);
    all.addAll(messages);
    return all;
  }

  /** True when the entries or hard state must reach disk before the messages are sent. */
  public boolean mustPersist() {
    return hardState != null || !entries.isEmpty();
  }
}
