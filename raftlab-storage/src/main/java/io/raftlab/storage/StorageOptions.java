package io.raftlab.storage;

import io.raftlab.storage.fsync.FsyncListener;
import io.raftlab.storage.fsync.FsyncPolicy;
import io.raftlab.storage.wal.WalOptions;
import java.util.Objects;

/**
 * How a node stores its state.
 *
 * @param fsyncPolicy ALWAYS (default, safe) or NEVER (experiments only; logs a loud warning)
 * @param segmentBytes write-ahead log segment size, {@value WalOptions#MIN_SEGMENT_BYTES} bytes to 1 GiB
 * @param fsyncListener told about every fsync (for metrics); {@link FsyncListener#NONE} if not needed
 */
public record StorageOptions(FsyncPolicy fsyncPolicy, long segmentBytes, FsyncListener fsyncListener) {
  public StorageOptions {
    Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
    new WalOptions(segmentBytes); // checks the range
    fsyncListener = fsyncListener == null ? FsyncListener.NONE : fsyncListener;
  }

  public static StorageOptions defaults() {
    return new StorageOptions(FsyncPolicy.ALWAYS, WalOptions.DEFAULT_SEGMENT_BYTES, FsyncListener.NONE);
  }

  public StorageOptions withFsyncPolicy(FsyncPolicy policy) {
    return new StorageOptions(policy, segmentBytes, fsyncListener);
  }

  public StorageOptions withSegmentBytes(long bytes) {
    return new StorageOptions(fsyncPolicy, bytes, fsyncListener);
  }

  public StorageOptions withFsyncListener(FsyncListener listener) {
    return new StorageOptions(fsyncPolicy, segmentBytes, listener);
  }
}
