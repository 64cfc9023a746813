package io.raftlab.storage.wal;

import static io.raftlab.storage.wal.WalFixtures.entries;
import static io.raftlab.storage.wal.WalFixtures.entry;
import static io.raftlab.storage.wal.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.Entry;
import io.raftlab.storage.CapturedLog;
import io.raftlab.storage.fsync.Fsync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {
  private static final long BIG_SEGMENT = WalOptions.DEFAULT_SEGMENT_BYTES;
  private static final long SMALL_SEGMENT = 512;

  @TempDir
  Path tmp;

  private record Opened(List<Entry> entries, TornTail torn) {
  }

  private static Opened recover(Path dir, long segmentBytes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, new WalOptions(segmentBytes), Fsync.always(), entries::add)) {
      return new Opened(entries, log.recoveredTornTail());
    }
  }

  private static long startOfRecord(List<Entry> inFile, int position) {
    long offset = 0;
    for (int i = 0; i < position; i++) {
      offset += RecordFrame.frameBytes(inFile.get(i));
    }
    return offset;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static void flipBit(Path file, long offset, int bit) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ (1 << bit)));
      one.rewind();
      channel.write(one, offset);
    }
  }

  private static void appendBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }

  /** A CRC-valid frame around any payload, to build records the writer would never produce. */
  private static byte[] frame(byte[] payload) {
    ByteBuffer buf = ByteBuffer.allocate(8 + payload.length);
    buf.putInt(payload.length).putInt(0).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, 4);
    crc.update(payload);
    buf.putInt(4, (int) crc.getValue());
    return buf.array();
  }

  private static byte[] encoded(Entry entry) {
    ByteBuffer buf = ByteBuffer.allocate(RecordFrame.frameBytes(entry));
    RecordFrame.encode(entry, buf);
    return buf.array();
  }

  private static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (Path file : segmentFiles(from)) {
      Files.copy(file, to.resolve(file.getFileName()));
    }
  }

  @Test
  void logCutAtEveryByteOffsetOfItsLastRecordRecoversTheRecordsBeforeItAndAcceptsAppends() throws Exception {
    Path pristine = tmp.resolve("pristine");
    List<Entry> written = entries(1, 1, 5, 33);
    WalFixtures.write(pristine, BIG_SEGMENT, written);
    Path segment = segmentFiles(pristine).get(0);
    long lastStart = startOfRecord(written, 4);
    long size = Files.size(segment);
    assertThat(size).isEqualTo(lastStart + RecordFrame.frameBytes(written.get(4)));

    for (long cut = lastStart; cut < size; cut++) {
      Path dir = tmp.resolve("cut-" + cut);
      copyDir(pristine, dir);
      Path file = dir.resolve(segment.getFileName());
      truncate(file, cut);

      Opened opened = recover(dir, BIG_SEGMENT);
      assertThat(opened.entries()).as("cut at %d", cut).isEqualTo(written.subList(0, 4));
      if (cut == lastStart) {
        assertThat(opened.torn()).isNull();
      } else {
        assertThat(opened.torn().offset()).isEqualTo(lastStart);
        assertThat(opened.torn().bytesCut()).isEqualTo(cut - lastStart);
        assertThat(opened.torn().file()).isEqualTo(file);
      }
      assertThat(Files.size(file)).isEqualTo(lastStart);

      Entry replacement = entry(2, 5, 10);
      WalFixtures.write(dir, BIG_SEGMENT, List.of(replacement, entry(2, 6, 10)));
      List<Entry> expected = new ArrayList<>(written.subList(0, 4));
      expected.add(replacement);
      expected.add(entry(2, 6, 10));
      assertThat(recover(dir, BIG_SEGMENT).entries()).isEqualTo(expected);
    }
  }

  @Test
  void tornFirstRecordOfTheLastSegmentLeavesAnEmptySegmentThatIsReused() throws Exception {
    Path pristine = tmp.resolve("pristine");
    List<Entry> written = entries(1, 1, 12, 100);
    WalFixtures.write(pristine, SMALL_SEGMENT, written);
    List<Path> files = segmentFiles(pristine);
    Path last = files.get(files.size() - 1);
    long lastFirst = Long.parseLong(last.getFileName().toString().replace(".seg", ""));
    long frame = RecordFrame.frameBytes(written.get((int) lastFirst - 1));
    // Keep only the start of the last segment's first record (and nothing after), as if the crash came right after the roll.
    truncate(last, frame - 1);
    assertThat(lastFirst).isGreaterThan(1);
    Opened opened = recover(pristine, SMALL_SEGMENT);
    assertThat(opened.entries()).isEqualTo(written.subList(0, (int) lastFirst - 1));
    assertThat(Files.size(last)).isZero();

    WalFixtures.write(pristine, SMALL_SEGMENT, entries(2, lastFirst, lastFirst + 3, 100));
    List<Entry> expected = new ArrayList<>(written.subList(0, (int) lastFirst - 1));
    expected.addAll(entries(2, lastFirst, lastFirst + 3, 100));
    assertThat(recover(pristine, SMALL_SEGMENT).entries()).isEqualTo(expected);
  }

  @Test
  void cuttingATornTailIsLoggedAtWarnWithFileOffsetAndBytes() throws Exception {
    Path dir = tmp.resolve("wal");
    WalFixtures.write(dir, BIG_SEGMENT, entries(1, 1, 3, 20));
    Path file = segmentFiles(dir).get(0);
    long size = Files.size(file);
    appendBytes(file, new byte[] {0, 0, 0});
    try (CapturedLog log = new CapturedLog(WriteAheadLog.class)) {
      recover(dir, BIG_SEGMENT);
      assertThat(log.warnings()).singleElement().asString()
          .contains(file.toString()).contains("at offset " + size).contains("cutting 3 bytes");
    }
  }

  @Test
  void zeroFilledTailLeftByACrashIsCut() throws Exception {
    Path dir = tmp.resolve("wal");
    List<Entry> written = entries(1, 1, 6, 20);
    WalFixtures.write(dir, BIG_SEGMENT, written);
    Path file = segmentFiles(dir).get(0);
    long size = Files.size(file);
    appendBytes(file, new byte[4096]);

    Opened opened = recover(dir, BIG_SEGMENT);
    assertThat(opened.entries()).isEqualTo(written);
    assertThat(opened.torn().offset()).isEqualTo(size);
    assertThat(opened.torn().bytesCut()).isEqualTo(4096);
    assertThat(opened.torn().reason()).contains("impossible record length 0");
  }

  @Test
  void flippedBitAnywhereInAMiddleRecordIsRefusedNamingTheFileAndTheRecordOffset() throws Exception {
    Path pristine = tmp.resolve("pristine");
    List<Entry> written = entries(1, 1, 5, 24);
    WalFixtures.write(pristine, BIG_SEGMENT, written);
    Path segment = segmentFiles(pristine).get(0);
    long start = startOfRecord(written, 2);
    long end = start + RecordFrame.frameBytes(written.get(2));

    for (long offset = start; offset < end; offset++) {
      Path dir = tmp.resolve("flip-" + offset);
      copyDir(pristine, dir);
      Path file = dir.resolve(segment.getFileName());
      flipBit(file, offset, (int) (offset % 8));
      long before = Files.size(file);

      assertThatThrownBy(() -> recover(dir, BIG_SEGMENT))
          .as("bit flipped at %d", offset)
          .isInstanceOfSatisfying(CorruptLogException.class, e -> {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.offset()).isEqualTo(start);
          })
          .hasMessageContaining(file.toString())
          .hasMessageContaining("byte offset " + start)
          .hasMessageContaining("valid record follows at offset");
      assertThat(Files.size(file)).as("nothing was cut").isEqualTo(before);
    }
  }

  @Test
  void flippedBitAnywhereInTheLastRecordIsCutAsATornTail() throws Exception {
    Path pristine = tmp.resolve("pristine");
    List<Entry> written = entries(1, 1, 5, 24);
    WalFixtures.write(pristine, BIG_SEGMENT, written);
    Path segment = segmentFiles(pristine).get(0);
    long start = startOfRecord(written, 4);
    long end = Files.size(segment);

    for (long offset = start; offset < end; offset++) {
      Path dir = tmp.resolve("flip-" + offset);
      copyDir(pristine, dir);
      flipBit(dir.resolve(segment.getFileName()), offset, (int) (offset % 8));
      Opened opened = recover(dir, BIG_SEGMENT);
      assertThat(opened.entries()).as("bit flipped at %d", offset).isEqualTo(written.subList(0, 4));
      assertThat(opened.torn().offset()).isEqualTo(start);
    }
  }

  @Test
  void damagedLastRecordOfAnEarlierSegmentIsRefusedEvenThoughItEndsTheFile() throws Exception {
    Path dir = tmp.resolve("wal");
    WalFixtures.write(dir, SMALL_SEGMENT, entries(1, 1, 20, 100));
    List<Path> files = segmentFiles(dir);
    assertThat(files).hasSizeGreaterThan(2);
    Path first = files.get(0);
    long size = Files.size(first);
    truncate(first, size - 3);

    assertThatThrownBy(() -> recover(dir, SMALL_SEGMENT))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(first.toString())
        .hasMessageContaining("incomplete record payload")
        .hasMessageContaining("not the last segment");
    assertThat(Files.size(first)).isEqualTo(size - 3);
  }

  @Test
  void missingMiddleSegmentIsRefusedAsAnIndexGap() throws Exception {
    Path dir = tmp.resolve("wal");
    WalFixtures.write(dir, SMALL_SEGMENT, entries(1, 1, 20, 100));
    List<Path> files = segmentFiles(dir);
    Files.delete(files.get(1));

    assertThatThrownBy(() -> recover(dir, SMALL_SEGMENT))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(files.get(2).toString())
        .hasMessageContaining("entries are missing");
  }

  @Test
  void missingFirstSegmentIsRefused() throws Exception {
    Path dir = tmp.resolve("wal");
    WalFixtures.write(dir, SMALL_SEGMENT, entries(1, 1, 20, 100));
    List<Path> files = segmentFiles(dir);
    Files.delete(files.get(0));

    assertThatThrownBy(() -> recover(dir, SMALL_SEGMENT))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(files.get(1).toString())
        .hasMessageContaining("must start at 1");
  }

  @Test
  void validRecordWhoseIndexDoesNotFollowIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("wal"));
    Path file = dir.resolve(Segment.fileName(1));
    Files.write(file, encoded(entry(1, 1, 5)));
    appendBytes(file, encoded(entry(1, 2, 5)));
    long third = Files.size(file);
    appendBytes(file, encoded(entry(1, 4, 5)));

    assertThatThrownBy(() -> recover(dir, BIG_SEGMENT))
        .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.offset()).isEqualTo(third))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("byte offset " + third)
        .hasMessageContaining("holds index 4 but index 3 was expected");
  }

  @Test
  void segmentWhoseFirstRecordDisagreesWithItsNameIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("wal"));
    Files.write(dir.resolve(Segment.fileName(1)), encoded(entry(1, 1, 5)));
    Path second = dir.resolve(Segment.fileName(2));
    Files.write(second, encoded(entry(1, 3, 5)));

    assertThatThrownBy(() -> recover(dir, BIG_SEGMENT))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(second.toString())
        .hasMessageContaining("holds index 3 but index 2 was expected (the segment's name says it starts there)");
  }

  @Test
  void validRecordOfUnknownKindIsRefusedEvenAtTheTail() throws Exception {
    Path dir = tmp.resolve("wal");
    WalFixtures.write(dir, BIG_SEGMENT, entries(1, 1, 2, 5));
    Path file = segmentFiles(dir).get(0);
    long size = Files.size(file);
    byte[] payload = new byte[30];
    payload[0] = 9;
    appendBytes(file, frame(payload));

    assertThatThrownBy(() -> recover(dir, BIG_SEGMENT))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("byte offset " + size)
        .hasMessageContaining("unknown record kind 9");
  }

  @Test
  void segmentFileWithABadNameIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("wal"));
    Path bad = dir.resolve("first.seg");
    Files.write(bad, new byte[0]);
    assertThatThrownBy(() -> recover(dir, BIG_SEGMENT))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("segment file name must be the first index");
  }
}
