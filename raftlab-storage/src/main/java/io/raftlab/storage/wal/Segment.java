package io.raftlab.storage.wal;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file: the records of consecutive indexes starting at {@link #firstIndex}, which is
 * also its file name, so that whole segments below a snapshot can later be dropped by name alone.
 * Keeps each record's start offset so that a suffix can be cut without rereading the file.
 */
final class Segment {
  static final String SUFFIX = ".seg";

  final Path path;
  final long firstIndex;
  private long[] offsets = new long[64];
  private int count;
  private long size;

  Segment(Path path, long firstIndex) {
    this.path = path;
    this.firstIndex = firstIndex;
  }

  static String fileName(long firstIndex) {
    return String.format("%016d%s", firstIndex, SUFFIX);
  }

  long lastIndex() {
    return firstIndex + count - 1;
  }

  int count() {
    return count;
  }

  long size() {
    return size;
  }

  void add(long offset, long frameBytes) {
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    offsets[count++] = offset;
    size = offset + frameBytes;
  }

  /** Byte offset where the record of {@code index} starts. */
  long offsetOf(long index) {
    return offsets[(int) (index - firstIndex)];
  }

  /** Forgets the records from {@code index} on; returns the new file size. */
  long cutFrom(long index) {
    long newSize = offsetOf(index);
    count = (int) (index - firstIndex);
    size = newSize;
    return newSize;
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + firstIndex + ".." + lastIndex() + ", " + size + " bytes]";
  }
}
