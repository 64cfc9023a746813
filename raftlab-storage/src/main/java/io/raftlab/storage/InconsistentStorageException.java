package io.raftlab.storage;

import java.io.IOException;

/** The hard state and the log are each readable but do not fit together. */
public final class InconsistentStorageException extends IOException {
  private static final long serialVersionUID = 1L;

  public InconsistentStorageException(String message) {
    super(message);
  }
}
