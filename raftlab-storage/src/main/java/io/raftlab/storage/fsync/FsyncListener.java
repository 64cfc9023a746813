package io.raftlab.storage.fsync;

import java.nio.file.Path;

/**
 * Told about every fsync that was actually performed, so a server can export its count and latency
 * without this module depending on a metrics library. Called on the writing thread: keep it cheap.
 */
@FunctionalInterface
public interface FsyncListener {
  FsyncListener NONE = (path, durationNanos) -> { };

  /** {@code path} is the file or directory that was forced. */
  void onFsync(Path path, long durationNanos);
}
