package io.raftlab.storage.hardstate;

import java.io.IOException;
import java.nio.file.Path;

/** The hard state file exists but cannot be trusted; the node must not start with a guessed term or vote. */
public final class CorruptHardStateException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CorruptHardStateException(Path file, String problem) {
    super("corrupt hard state file " + file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
