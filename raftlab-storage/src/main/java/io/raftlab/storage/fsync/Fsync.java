package io.raftlab.storage.fsync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces files and directories to stable storage according to one {@link FsyncPolicy}, counting and
 * timing each fsync. Shared by the write-ahead log and the hard state store of one node so that
 * the figures cover everything the node waits for.
 */
public final class Fsync {
  private static final Logger LOG = LoggerFactory.getLogger(Fsync.class);

  private final FsyncPolicy policy;
  private final FsyncListener listener;
  private final FsyncStats stats = new FsyncStats();

  /** {@code owner} names what this is for (a data directory), only used in the NEVER warning. */
  public Fsync(FsyncPolicy policy, FsyncListener listener, Path owner) {
    this.policy = Objects.requireNonNull(policy, "fsync policy");
    this.listener = listener == null ? FsyncListener.NONE : listener;
    if (policy == FsyncPolicy.NEVER) {
      LOG.warn("!!! UNSAFE: fsync policy NEVER for {}: writes are never forced to disk. A machine crash can lose"
          + " log entries and votes this node already acknowledged, which breaks Raft's safety."
          + " Use only for experiments. !!!", owner);
    }
  }

  public static Fsync always() {
    return new Fsync(FsyncPolicy.ALWAYS, FsyncListener.NONE, null);
  }

  public FsyncPolicy policy() {
    return policy;
  }

  public FsyncStats stats() {
    return stats;
  }

  /**
   * Forces a file's data; {@code withMetadata} also forces metadata such as the modification time
   * (the file length needed to read the data back is forced either way, as fdatasync does).
   */
  public void force(FileChannel channel, Path path, boolean withMetadata) throws IOException {
    if (policy == FsyncPolicy.NEVER) {
      return;
    }
    long start = System.nanoTime();
    channel.force(withMetadata);
    done(path, start);
  }

  /** Forces a directory, so that files created, renamed or deleted in it stay so after a crash. */
  public void directory(Path dir) throws IOException {
    if (policy == FsyncPolicy.NEVER) {
      return;
    }
    long start = System.nanoTime();
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
    done(dir, start);
  }

  private void done(Path path, long start) {
    long duration = System.nanoTime() - start;
    stats.record(duration);
    listener.onFsync(path, duration);
  }
}
