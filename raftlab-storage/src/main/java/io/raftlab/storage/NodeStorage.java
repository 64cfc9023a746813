package io.raftlab.storage;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.Ready;
import io.raftlab.storage.fsync.Fsync;
import io.raftlab.storage.fsync.FsyncStats;
import io.raftlab.storage.hardstate.HardStateStore;
import io.raftlab.storage.lock.DataDirectoryLock;
import io.raftlab.storage.wal.TornTail;
import io.raftlab.storage.wal.WalOptions;
import io.raftlab.storage.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node's data directory: {@code LOCK}, {@code hardstate} and the write-ahead log in {@code wal/}.
 *
 * <p>Persist order: entries first (one fsync for the batch), then the hard state. A crash between
 * the two leaves new entries with the previous hard state, which is consistent (its commit index
 * only covers entries that can never be replaced); the other order could leave a commit index
 * beyond the log.
 */
public final class NodeStorage implements RaftStore {
  public static final String WAL_DIR = "wal";

  private final Path dir;
  private final DataDirectoryLock lock;
  private final Fsync fsync;
  private final WriteAheadLog wal;
  private final HardStateStore hardStateStore;
  /** The newest hard state whose only change was the commit index, not yet on disk. */
  private HardState unsavedCommit;
  private HardState saved;
  private RecoveredState recovered;
  private IOException failure;
  private boolean closed;

  private NodeStorage(Path dir, DataDirectoryLock lock, Fsync fsync, WriteAheadLog wal, HardStateStore hardStateStore,
      HardState saved, RecoveredState recovered) {
    this.dir = dir;
    this.lock = lock;
    this.fsync = fsync;
    this.wal = wal;
    this.hardStateStore = hardStateStore;
    this.saved = saved;
    this.recovered = recovered;
  }

  /**
   * Locks {@code dataDir} (created if missing) and recovers what is in it.
   *
   * @throws io.raftlab.storage.lock.DataDirectoryLockedException if another node uses the directory
   * @throws io.raftlab.storage.wal.CorruptLogException if the log is damaged other than at its tail
   * @throws io.raftlab.storage.hardstate.CorruptHardStateException if the hard state file is damaged
   * @throws InconsistentStorageException if the hard state and the log do not fit together
   */
  public static NodeStorage open(Path dataDir, StorageOptions options) throws IOException {
    boolean created = !Files.isDirectory(dataDir);
    DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
    Path dir = lock.directory();
    WriteAheadLog wal = null;
    try {
      Fsync fsync = new Fsync(options.fsyncPolicy(), options.fsyncListener(), dir);
      if (created && dir.getParent() != null) {
        fsync.directory(dir.getParent()); // the new directory's own entry must survive a crash too
      }
      HardStateStore hardStateStore = new HardStateStore(dir, fsync);
      Optional<HardState> stored = hardStateStore.load();
      List<Entry> log = new ArrayList<>();
      wal = WriteAheadLog.open(dir.resolve(WAL_DIR), new WalOptions(options.segmentBytes()), fsync, log::add);
      HardState hardState;
      if (stored.isPresent()) {
        hardState = stored.get();
      } else if (wal.lastIndex() > 0) {
        // The hard state is written when the directory is first opened, before any entry: losing it
        // would forget the node's term and vote, letting it vote twice in one term.
        throw new InconsistentStorageException("hard state file " + hardStateStore.file() + " is missing but the log in "
            + wal.directory() + " holds entries 1.." + wal.lastIndex() + ": refusing to start without the term and vote");
      } else {
        hardState = HardState.EMPTY;
        hardStateStore.save(hardState);
      }
      if (hardState.commit() > wal.lastIndex()) {
        throw new InconsistentStorageException("hard state commit index " + hardState.commit() + " in "
            + hardStateStore.file() + " is beyond the last log index " + wal.lastIndex() + " in " + wal.directory());
      }
      return new NodeStorage(dir, lock, fsync, wal, hardStateStore, hardState, new RecoveredState(hardState, log));
    } catch (IOException | RuntimeException e) {
      try {
        if (wal != null) {
          wal.close();
        }
      } finally {
        lock.close();
      }
      throw e;
    }
  }

  /** Opens with {@link StorageOptions#defaults()}. */
  public static NodeStorage open(Path dataDir) throws IOException {
    return open(dataDir, StorageOptions.defaults());
  }

  @Override
  public RecoveredState recovered() {
    if (recovered == null) {
      throw new IllegalStateException("the recovered state of " + dir + " is only available before the first persist");
    }
    return recovered;
  }

  @Override
  public void persist(Ready ready) throws IOException {
    persist(ready.entries(), ready.hardState());
  }

  /** As {@link #persist(Ready)}, for callers that have the parts. {@code hardState} may be null. */
  public void persist(List<Entry> entries, HardState hardState) throws IOException {
    checkUsable();
    recovered = null;
    if (hardState != null) {
      long lastAfter = entries.isEmpty() ? wal.lastIndex() : entries.get(entries.size() - 1).index();
      if (hardState.commit() > lastAfter) {
        throw new IllegalArgumentException("hard state commit index " + hardState.commit()
            + " is beyond the last log index " + lastAfter + " the log would have after this append");
      }
    }
    try {
      if (!entries.isEmpty()) {
        wal.append(entries);
        wal.sync();
      }
      if (hardState != null && !hardState.equals(saved)) {
        // Term and vote must be durable before the messages that depend on them. The commit
        // index need not be (the paper keeps it volatile; a restarted node re-learns it from the
        // leader), so a change of commit alone waits for the next term or vote change, or close:
        // that saves two fsyncs (file and directory) on almost every Ready.
        if (saved == null || hardState.term() != saved.term() || !java.util.Objects.equals(hardState.vote(), saved.vote())) {
          hardStateStore.save(hardState);
          saved = hardState;
          unsavedCommit = null;
        } else {
          unsavedCommit = hardState;
        }
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("storage in " + dir + " is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("storage in " + dir + " failed earlier and must be reopened: " + failure, failure);
    }
  }

  @Override
  public long lastIndex() {
    return wal.lastIndex();
  }

  /** The hard state last written. */
  public HardState hardState() {
    return saved;
  }

  /** Every fsync this node did (log and hard state): count and latency, for metrics. */
  public FsyncStats fsyncStats() {
    return fsync.stats();
  }

  /** The torn tail cut from the log at open, or null. */
  public TornTail recoveredTornTail() {
    return wal.recoveredTornTail();
  }

  public Path directory() {
    return dir;
  }

  /** Releases the files and the directory lock. Everything persisted is already durable. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (unsavedCommit != null && failure == null) {
        hardStateStore.save(unsavedCommit);
        saved = unsavedCommit;
      }
      wal.close();
    } finally {
      lock.close();
    }
  }
}
