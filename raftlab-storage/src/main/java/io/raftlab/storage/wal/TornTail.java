package io.raftlab.storage.wal;

import java.nio.file.Path;

/** What recovery cut from the end of the last segment: a record the crash left half-written. */
public record TornTail(Path file, long offset, long bytesCut, String reason) {
  @Override
  public String toString() {
    return "cut " + bytesCut + " bytes from " + file + " at offset " + offset + " (" + reason + ")";
  }
}
