package io.raftlab.storage.lock;

import java.io.IOException;
import java.nio.file.Path;

/** The data directory is already in use by another node (another process, or this JVM). */
public final class DataDirectoryLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  public DataDirectoryLockedException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
