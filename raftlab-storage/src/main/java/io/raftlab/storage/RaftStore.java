package io.raftlab.storage;

import io.raftlab.core.Ready;
import java.io.Closeable;
import java.io.IOException;

/**
 * The durable state a Raft node needs, as the server uses it: what was recovered at start, then one
 * {@link #persist} per {@link Ready}, in the order the Readies were produced. {@link NodeStorage} is
 * the real one; {@link InMemoryRaftStore} stands in for it in tests.
 */
public interface RaftStore extends Closeable {

  /**
   * The hard state and log found when the store was opened. Available until the first
   * {@link #persist}; the store then forgets it, so the log is not held twice.
   *
   * @throws IllegalStateException after the first persist
   */
  RecoveredState recovered();

  /**
   * Durably appends {@code ready.entries()} (an entry at an index already stored replaces it and
   * everything after it), then writes {@code ready.hardState()} if not null. Returns only when both
   * are durable under the store's fsync policy: only then may the Ready's messages be sent. Does
   * nothing when {@link Ready#mustPersist()} is false.
   *
   * <p>After an {@link IOException} the store is unusable (what reached the disk is unknown): the
   * node must stop and restart from disk.
   */
  void persist(Ready ready) throws IOException;

  /** Index of the last stored entry, 0 when the log is empty. */
  long lastIndex();
}
