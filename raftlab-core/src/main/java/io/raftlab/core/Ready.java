package io.raftlab.core;

import java.util.List;

/**
 * What the caller must do, in this order (the persistence contract):
 *
 * <ol>
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
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<Entry> entries,
    List<Message> messages,
    List<Entry> committedEntries,
    List<ReadState> readStates) {

  public boolean isEmpty() {
    return softState == null && hardState == null && entries.isEmpty() && messages.isEmpty()
        && committedEntries.isEmpty() && readStates.isEmpty();
  }

  /** True when the entries or hard state must reach disk before the messages are sent. */
  public boolean mustPersist() {
    return hardState != null || !entries.isEmpty();
  }
}
