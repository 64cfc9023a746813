package io.raftlab.storage;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.Ready;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RaftStore} in memory, for tests of code that drives a node: same append and validation
 * rules as {@link NodeStorage}, nothing on disk. {@link #reopen()} gives a store that recovers what
 * this one held, as a restart of the node would.
 */
public final class InMemoryRaftStore implements RaftStore {
  private final List<Entry> log;
  private HardState hardState;
  private RecoveredState recovered;
  private boolean closed;

  public InMemoryRaftStore() {
    this(HardState.EMPTY, List.of());
  }

  public InMemoryRaftStore(HardState hardState, List<Entry> log) {
    this.hardState = hardState;
    this.log = new ArrayList<>(log);
    this.recovered = new RecoveredState(hardState, log);
  }

  @Override
  public synchronized RecoveredState recovered() {
    if (recovered == null) {
      throw new IllegalStateException("the recovered state is only available before the first persist");
    }
    return recovered;
  }

  @Override
  public synchronized void persist(Ready ready) {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
    recovered = null;
    List<Entry> entries = ready.entries();
    long lastAfter = entries.isEmpty() ? lastIndex() : entries.get(entries.size() - 1).index();
    if (ready.hardState() != null && ready.hardState().commit() > lastAfter) {
      throw new IllegalArgumentException("hard state commit index " + ready.hardState().commit()
          + " is beyond the last log index " + lastAfter + " the log would have after this append");
    }
    if (!entries.isEmpty()) {
      long first = entries.get(0).index();
      if (first < 1 || first > lastIndex() + 1) {
        throw new IllegalArgumentException("cannot append at index " + first + ": the log holds 1.." + lastIndex()
            + ", so the first appended index must be in 1.." + (lastIndex() + 1));
      }
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i).index() != first + i) {
          throw new IllegalArgumentException("appended entries must have consecutive indexes: position " + i
              + " holds index " + entries.get(i).index() + ", expected " + (first + i));
        }
      }
      log.subList((int) (first - 1), log.size()).clear();
      log.addAll(entries);
    }
    if (ready.hardState() != null) {
      hardState = ready.hardState();
    }
  }

  @Override
  public synchronized long lastIndex() {
    return log.size();
  }

  public synchronized HardState hardState() {
    return hardState;
  }

  public synchronized List<Entry> log() {
    return List.copyOf(log);
  }

  /** A new store holding what this one holds, as the node would find it after a restart. */
  public synchronized InMemoryRaftStore reopen() {
    return new InMemoryRaftStore(hardState, log);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
