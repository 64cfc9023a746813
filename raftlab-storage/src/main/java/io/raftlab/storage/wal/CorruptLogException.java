package io.raftlab.storage.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The write-ahead log holds something that is not a torn tail: a damaged record with data after it,
 * a damaged record in a segment that is not the last, a missing index. Recovery stops rather than
 * guess, because dropping such a record could lose an entry the node already acknowledged.
 */
public final class CorruptLogException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  public CorruptLogException(Path file, long offset, String problem) {
    super("corrupt write-ahead log: " + file + " at byte offset " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
  }

  /** The segment file (or the log directory, for problems between segments). */
  public Path file() {
    return file;
  }

  /** Byte offset in {@link #file()} where the problem starts; -1 when it is not about one record. */
  public long offset() {
    return offset;
  }
}
