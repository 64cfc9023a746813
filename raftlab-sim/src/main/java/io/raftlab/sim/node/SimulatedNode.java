package io.raftlab.sim.node;

import io.raftlab.core.Config;
import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.RaftNode;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import io.raftlab.sim.client.ClientOp;
import io.raftlab.sim.event.SimEvent;
import io.raftlab.sim.invariant.LogView;
import io.raftlab.sim.kv.KvStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated server: a {@link RaftNode}, its disk (hard state and log as persisted), the Ready
 * being persisted, its key-value state machine, and the client requests it is serving.
 */
public final class SimulatedNode implements LogView {

  public final int index;
  public final String id;
  public final Config config;
  public final long tickNanos;

  public RaftNode raft;
  public boolean up = true;
  public boolean paused;
  /** Bumped on every crash so that events of the previous life are ignored. */
  public int incarnation;

  // Disk: survives crashes.
  private HardState hardState = HardState.EMPTY;
  private final ArrayList<Entry> disk = new ArrayList<>();

  /** The Ready whose persistence is under way (one at a time, in order), or null. */
  public Ready inflight;
  /** The in-flight Ready is a leader's write after which it crashes before any of its messages leave. */
  public boolean inflightDiesBeforeSend;
  /** The node dies just before the write in flight (its own term and vote as candidate) completes. */
  public boolean inflightDiesBeforeWrite;

  public KvStore kv;
  public long applied;

  public final Map<Long, ClientOp> writesByIndex = new HashMap<>();
  public final Map<Long, ClientOp> readsByContext = new HashMap<>();
  /** Reads whose read point is fixed but not yet applied here. */
  public final List<ClientOp> readsAwaitingApply = new ArrayList<>();
  /** Events that arrived while the node was paused; replayed in order on resume. */
  public final List<SimEvent> stash = new ArrayList<>();

  // Last sampled state, to report changes only.
  public Role sampledRole;
  public long sampledTerm = -1;
  public long sampledCommit = -1;
  public boolean sampledUp = true;

  public SimulatedNode(int index, Config config, long tickNanos, int keys) {
    this.index = index;
    this.id = config.id();
    this.config = config;
    this.tickNanos = tickNanos;
    this.kv = new KvStore(keys);
  }

  /** Writes a Ready's entries and hard state to disk: an entry at an existing index truncates the rest. */
  public void persist(Ready ready) {
    List<Entry> entries = ready.entries();
    if (!entries.isEmpty()) {
      long first = entries.get(0).index();
      if (first < 1 || first > disk.size() + 1) {
        throw new IllegalStateException(id + ": Ready entries start at " + first + " but the disk log ends at "
            + disk.size());
      }
      if (first <= disk.size()) {
        disk.subList((int) first - 1, disk.size()).clear();
      }
      disk.addAll(entries);
    }
    if (ready.hardState() != null) {
      hardState = ready.hardState();
    }
  }

  public HardState hardState() {
    return hardState;
  }

  /** The persisted log, entry i at position i - 1 (read-only view). */
  public List<Entry> disk() {
    return java.util.Collections.unmodifiableList(disk);
  }

  @Override
  public long termAt(long i) {
    return raft.termAt(i);
  }

  @Override
  public long lastIndex() {
    return raft.lastIndex();
  }
}
