package io.raftlab.storage.wal;

import io.raftlab.core.Entry;
import io.raftlab.storage.fsync.Fsync;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmented log of Raft entries in one directory: {@code 0000000000000001.seg}, ... each named by
 * the index of its first record and holding consecutive indexes. A new segment starts when the
 * next record would take the current one past {@link WalOptions#segmentBytes()}.
 *
 * <p>Writes are group-committed: {@link #append} only writes, {@link #sync} makes everything
 * appended so far durable with one fsync. Overwriting a suffix cuts the files physically (later
 * segments deleted newest first, then the segment holding the first replaced index truncated), each
 * step forced before the new entries are written, so that after a crash the disk holds either the
 * old log, a prefix of it, or the new entries after the kept prefix: never a mix.
 *
 * <p>Invariants kept on disk (checked on open): every segment but the last ends exactly after a
 * whole valid record; segment names follow on from the previous segment's last index; the log
 * starts at index 1. Not thread-safe: one writer. After any I/O error the log refuses further use,
 * because what reached the disk is then unknown (the node must restart and recover).
 */
public final class WriteAheadLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

  private final Path dir;
  private final WalOptions options;
  private final Fsync fsync;
  private final List<Segment> segments = new ArrayList<>();
  private final TornTail tornTail;
  private FileChannel active; // channel of the last segment, opened lazily
  private boolean unsynced;
  private ByteBuffer writeBuffer = ByteBuffer.allocate(64 << 10);
  private IOException failure;
  private boolean closed;

  private WriteAheadLog(Path dir, WalOptions options, Fsync fsync, TornTail tornTail) {
    this.dir = dir;
    this.options = options;
    this.fsync = fsync;
    this.tornTail = tornTail;
  }

  /** Opens (creating if needed) the log in {@code dir}; recovered entries are discarded. */
  public static WriteAheadLog open(Path dir, WalOptions options, Fsync fsync) throws IOException {
    return open(dir, options, fsync, entry -> { });
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, recovering it: each entry on disk, in index
   * order from 1, is handed to {@code recovered}. A torn tail is cut (and logged at WARN); any other
   * damage throws {@link CorruptLogException} naming the file and byte offset.
   */
  public static WriteAheadLog open(Path dir, WalOptions options, Fsync fsync, Consumer<Entry> recovered)
      throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(fsync, "fsync");
    boolean created = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (created && dir.toAbsolutePath().getParent() != null) {
      fsync.directory(dir.toAbsolutePath().getParent());
    }
    List<Segment> found = listSegments(dir);
    TornTail torn = null;
    long expectedFirst = 1;
    for (int i = 0; i < found.size(); i++) {
      Segment segment = found.get(i);
      boolean last = i == found.size() - 1;
      if (segment.firstIndex != expectedFirst) {
        String problem = i == 0
            ? "the first segment starts at index " + segment.firstIndex + " but the log must start at 1"
                + " (segments before it are missing)"
            : "segment starts at index " + segment.firstIndex + " but the previous segment ended at index "
                + (expectedFirst - 1) + (segment.firstIndex > expectedFirst ? " (entries are missing)" : " (overlap)");
        throw new CorruptLogException(segment.path, 0, problem);
      }
      torn = SegmentScanner.scan(segment, last, recovered);
      if (!last && segment.count() == 0) {
        throw new CorruptLogException(segment.path, 0, "empty segment before the last one");
      }
      expectedFirst = segment.lastIndex() + 1;
    }
    if (torn != null) {
      cutTornTail(torn, fsync);
    }
    WriteAheadLog log = new WriteAheadLog(dir, options, fsync, torn);
    log.segments.addAll(found);
    return log;
  }

  private static void cutTornTail(TornTail torn, Fsync fsync) throws IOException {
    LOG.warn("write-ahead log recovery: {} at offset {}: cutting {} bytes of a torn last record ({})."
        + " A crash happened mid-write; this record was never synced.", torn.file(), torn.offset(), torn.bytesCut(),
        torn.reason());
    try (FileChannel channel = FileChannel.open(torn.file(), StandardOpenOption.WRITE)) {
      channel.truncate(torn.offset());
      fsync.force(channel, torn.file(), true);
    }
  }

  private static List<Segment> listSegments(Path dir) throws IOException {
    List<Segment> segments = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + Segment.SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String digits = name.substring(0, name.length() - Segment.SUFFIX.length());
        long first;
        try {
          first = digits.chars().allMatch(Character::isDigit) ? Long.parseLong(digits) : -1;
        } catch (NumberFormatException e) {
          first = -1;
        }
        if (first < 1) {
          throw new CorruptLogException(file, -1, "segment file name must be the first index (decimal digits, >= 1)"
              + " followed by " + Segment.SUFFIX);
        }
        segments.add(new Segment(file, first));
      }
    }
    segments.sort(Comparator.comparingLong(s -> s.firstIndex));
    return segments;
  }

  /** The directory holding the segments. */
  public Path directory() {
    return dir;
  }

  /** The torn tail cut when this log was opened, or null if the log ended cleanly. */
  public TornTail recoveredTornTail() {
    return tornTail;
  }

  /** Index of the last entry, 0 when empty. */
  public long lastIndex() {
    return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastIndex();
  }

  /** Number of segment files. */
  public int segmentCount() {
    return segments.size();
  }

  /**
   * Writes {@code entries} (consecutive indexes, the first at most {@link #lastIndex()} + 1). If the
   * first index is already in the log, that entry and everything after it are removed first. Not
   * durable until {@link #sync()}; the removal of a suffix is made durable before new data is written.
   */
  public void append(List<Entry> entries) throws IOException {
    checkUsable();
    if (entries.isEmpty()) {
      return;
    }
    long first = entries.get(0).index();
    if (first < 1 || first > lastIndex() + 1) {
      throw new IllegalArgumentException("cannot append at index " + first + ": the log holds 1.." + lastIndex()
          + ", so the first appended index must be in 1.." + (lastIndex() + 1));
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (entry.index() != first + i) {
        throw new IllegalArgumentException("appended entries must have consecutive indexes: position " + i
            + " holds index " + entry.index() + ", expected " + (first + i));
      }
      RecordFrame.checkEncodable(entry);
    }
    try {
      if (first <= lastIndex()) {
        cutFrom(first);
      }
      write(entries);
    } catch (IOException | RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  private void write(List<Entry> entries) throws IOException {
    writeBuffer.clear();
    for (Entry entry : entries) {
      int frame = RecordFrame.frameBytes(entry);
      Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
      if (last == null || (last.size() > 0 && last.size() + frame > options.segmentBytes())) {
        flush();
        roll(entry.index());
        last = segments.get(segments.size() - 1);
      }
      if (writeBuffer.remaining() < frame) {
        flush();
        if (writeBuffer.capacity() < frame) {
          writeBuffer = ByteBuffer.allocate(frame);
        }
      }
      last.add(last.size(), frame);
      RecordFrame.encode(entry, writeBuffer);
    }
    flush();
  }

  /** Writes the buffered frames to the active segment (which the buffered records were added to). */
  private void flush() throws IOException {
    writeBuffer.flip();
    if (writeBuffer.hasRemaining()) {
      FileChannel channel = activeChannel();
      long position = channel.size();
      while (writeBuffer.hasRemaining()) {
        position += channel.write(writeBuffer, position);
      }
      unsynced = true;
    }
    writeBuffer.clear();
  }

  /** Starts a new segment. The previous one is forced first, so a non-last segment is always whole. */
  private void roll(long firstIndex) throws IOException {
    if (active != null) {
      syncActive();
      active.close();
      active = null;
    }
    Path path = dir.resolve(Segment.fileName(firstIndex));
    active = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    fsync.directory(dir);
    segments.add(new Segment(path, firstIndex));
  }

  private FileChannel activeChannel() throws IOException {
    if (active == null) {
      Segment last = segments.get(segments.size() - 1);
      active = FileChannel.open(last.path, StandardOpenOption.WRITE);
    }
    return active;
  }

  /**
   * Removes {@code index} and everything after it, durably: later segments are deleted newest
   * first (each deletion forced) and then the segment holding {@code index} is truncated and forced.
   * A crash part-way leaves a prefix of the old log, which is still a valid log.
   */
  private void cutFrom(long index) throws IOException {
    while (!segments.isEmpty() && segments.get(segments.size() - 1).firstIndex >= index) {
      Segment doomed = segments.remove(segments.size() - 1);
      if (active != null) {
        active.close();
        active = null;
      }
      Files.delete(doomed.path);
      fsync.directory(dir);
      unsynced = false;
    }
    if (segments.isEmpty()) {
      return;
    }
    Segment last = segments.get(segments.size() - 1);
    if (index <= last.lastIndex()) {
      long newSize = last.cutFrom(index);
      FileChannel channel = activeChannel();
      channel.truncate(newSize);
      fsync.force(channel, last.path, true);
      unsynced = false;
    }
  }

  /** Makes everything appended so far durable (one fsync), as the fsync policy allows. */
  public void sync() throws IOException {
    checkUsable();
    try {
      syncActive();
    } catch (IOException | RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  private void syncActive() throws IOException {
    if (unsynced && active != null) {
      fsync.force(active, segments.get(segments.size() - 1).path, false);
    }
    unsynced = false;
  }

  /** Reads every entry on disk now, checking every record (no tail repair: the tail was repaired on open). */
  public List<Entry> readAll() throws IOException {
    checkUsable();
    List<Entry> entries = new ArrayList<>();
    for (Segment segment : segments) {
      SegmentScanner.scan(new Segment(segment.path, segment.firstIndex), false, entries::add);
    }
    return entries;
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("write-ahead log in " + dir + " is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("write-ahead log in " + dir + " failed earlier and must be reopened"
          + " (what reached the disk is unknown): " + failure, failure);
    }
  }

  private void fail(Exception e) {
    failure = e instanceof IOException io ? io : new IOException(e);
  }

  /** Closes the files. Does not sync: call {@link #sync()} first for anything that must be durable. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (active != null) {
      active.close();
      active = null;
    }
  }
}
