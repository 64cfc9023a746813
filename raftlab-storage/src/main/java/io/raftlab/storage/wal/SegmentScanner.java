package io.raftlab.storage.wal;

import io.raftlab.core.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Reads and validates one segment. Damage is a torn tail only in the last segment and only when no
 * valid record follows it; everything else is a {@link CorruptLogException}.
 */
final class SegmentScanner {
  private SegmentScanner() {
  }

  /**
   * Scans {@code segment}'s file, adding its records to it and handing each entry to {@code sink}.
   * Returns the torn tail found (the caller cuts it) or null when the file ends cleanly.
   *
   * @param mayHaveTornTail true only for the last segment during recovery
   */
  static TornTail scan(Segment segment, boolean mayHaveTornTail, Consumer<Entry> sink) throws IOException {
    Path file = segment.path;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize > Integer.MAX_VALUE) {
        throw new CorruptLogException(file, 0, "segment is " + fileSize + " bytes, more than the "
            + Integer.MAX_VALUE + " a segment can hold");
      }
      ByteBuffer buf = fileSize == 0 ? ByteBuffer.allocate(0) : channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
      int pos = 0;
      long expected = segment.firstIndex;
      while (pos < buf.limit()) {
        String problem = RecordFrame.frameProblem(buf, pos);
        if (problem != null) {
          if (!mayHaveTornTail) {
            throw new CorruptLogException(file, pos, problem + "; this is not the last segment (or the tail was"
                + " already repaired), so it cannot be a torn write and records after it may have been acknowledged");
          }
          int next = RecordFrame.findValidFrame(buf, pos + 1);
          if (next >= 0) {
            throw new CorruptLogException(file, pos, problem + "; a valid record follows at offset " + next
                + ", so this is damage inside the log, not a torn tail");
          }
          return new TornTail(file, pos, fileSize - pos, problem);
        }
        Entry entry = RecordFrame.decode(buf, pos, file);
        if (entry.index() != expected) {
          throw new CorruptLogException(file, pos, "record holds index " + entry.index() + " but index " + expected
              + " was expected" + (expected == segment.firstIndex ? " (the segment's name says it starts there)"
              : " (the previous record held " + (expected - 1) + ")"));
        }
        int frame = RecordFrame.frameBytesAt(buf, pos);
        segment.add(pos, frame);
        sink.accept(entry);
        pos += frame;
        expected++;
      }
      return null;
    }
  }
}
