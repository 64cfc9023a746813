package io.raftlab.storage;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import java.util.List;

/**
 * What a node finds on disk when it starts: pass both to
 * {@code RaftNode.restart(config, random, hardState, log)} (or {@code RaftNode.create} when
 * {@link #isBlank()}). {@code log} holds consecutive indexes from 1.
 */
public record RecoveredState(HardState hardState, List<Entry> log) {
  public RecoveredState {
    log = List.copyOf(log);
  }

  public long lastIndex() {
    return log.isEmpty() ? 0 : log.get(log.size() - 1).index();
  }

  /** True for a node that never persisted anything. */
  public boolean isBlank() {
    return log.isEmpty() && hardState.equals(HardState.EMPTY);
  }
}
