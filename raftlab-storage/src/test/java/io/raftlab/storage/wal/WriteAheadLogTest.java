package io.raftlab.storage.wal;

import static io.raftlab.storage.wal.WalFixtures.entries;
import static io.raftlab.storage.wal.WalFixtures.entry;
import static io.raftlab.storage.wal.WalFixtures.open;
import static io.raftlab.storage.wal.WalFixtures.reopenAndRead;
import static io.raftlab.storage.wal.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.Entry;
import io.raftlab.storage.fsync.Fsync;
import io.raftlab.storage.fsync.FsyncListener;
import io.raftlab.storage.fsync.FsyncPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
  private static final long SMALL_SEGMENT = 1024;

  @TempDir
  Path dir;

  @Test
  void appendedEntriesSurviveCloseAndReopen() throws Exception {
    List<Entry> written = entries(1, 1, 20, 40);
    try (WriteAheadLog log = open(dir, WalOptions.DEFAULT_SEGMENT_BYTES)) {
      log.append(written.subList(0, 7));
      log.append(written.subList(7, 20));
      log.sync();
      assertThat(log.lastIndex()).isEqualTo(20);
      assertThat(log.readAll()).isEqualTo(written);
    }
    assertThat(reopenAndRead(dir, WalOptions.DEFAULT_SEGMENT_BYTES)).isEqualTo(written);
    assertThat(segmentFiles(dir)).extracting(p -> p.getFileName().toString()).containsExactly("0000000000000001.seg");
  }

  @Test
  void emptyAndLargeAndNoopEntriesRoundTrip() throws Exception {
    List<Entry> written = List.of(entry(1, 1, 0), entry(1, 2, 100_000), entry(2, 3, 1), entry(2, 4, 0), entry(3, 5, 3));
    WalFixtures.write(dir, WalOptions.DEFAULT_SEGMENT_BYTES, written);
    assertThat(reopenAndRead(dir, WalOptions.DEFAULT_SEGMENT_BYTES)).isEqualTo(written);
  }

  @Test
  void appendsRollToNewSegmentsNamedByFirstIndexAndSurviveReopen() throws Exception {
    List<Entry> written = entries(1, 1, 100, 100);
    try (WriteAheadLog log = open(dir, SMALL_SEGMENT)) {
      for (int i = 0; i < 100; i += 10) {
        log.append(written.subList(i, i + 10));
        log.sync();
      }
      assertThat(log.segmentCount()).isGreaterThan(5);
    }
    List<Path> files = segmentFiles(dir);
    assertThat(files).hasSizeGreaterThan(5);
    assertThat(files.get(0).getFileName().toString()).isEqualTo("0000000000000001.seg");
    for (Path file : files) {
      assertThat(java.nio.file.Files.size(file)).isLessThanOrEqualTo(SMALL_SEGMENT);
    }
    List<Entry> recovered = reopenAndRead(dir, SMALL_SEGMENT);
    assertThat(recovered).isEqualTo(written);
    // Names are the first index of each file; open() checks each against the file's first record.
    assertThat(files).extracting(p -> Long.parseLong(p.getFileName().toString().replace(".seg", "")))
        .isSorted().doesNotHaveDuplicates().startsWith(1L);
  }

  @Test
  void overwriteOfSuffixWithinLastSegmentSurvivesReopen() throws Exception {
    WalFixtures.write(dir, WalOptions.DEFAULT_SEGMENT_BYTES, entries(1, 1, 10, 30));
    try (WriteAheadLog log = open(dir, WalOptions.DEFAULT_SEGMENT_BYTES)) {
      log.append(entries(2, 6, 8, 50));
      log.sync();
      assertThat(log.lastIndex()).isEqualTo(8);
    }
    List<Entry> expected = new ArrayList<>(entries(1, 1, 5, 30));
    expected.addAll(entries(2, 6, 8, 50));
    assertThat(reopenAndRead(dir, WalOptions.DEFAULT_SEGMENT_BYTES)).isEqualTo(expected);
  }

  @Test
  void overwriteStartingInAnEarlierSegmentDeletesLaterSegmentsAndSurvivesReopen() throws Exception {
    WalFixtures.write(dir, SMALL_SEGMENT, entries(1, 1, 60, 100));
    int before = segmentFiles(dir).size();
    assertThat(before).isGreaterThan(4);
    try (WriteAheadLog log = open(dir, SMALL_SEGMENT)) {
      log.append(entries(3, 12, 14, 10)); // index 12 lies in the second segment
      log.sync();
      assertThat(log.lastIndex()).isEqualTo(14);
      assertThat(log.segmentCount()).isEqualTo(2);
    }
    List<Entry> expected = new ArrayList<>(entries(1, 1, 11, 100));
    expected.addAll(entries(3, 12, 14, 10));
    assertThat(reopenAndRead(dir, SMALL_SEGMENT)).isEqualTo(expected);
    assertThat(segmentFiles(dir)).hasSize(2);
  }

  @Test
  void overwriteAtTheFirstIndexOfASegmentReplacesThatWholeSegment() throws Exception {
    WalFixtures.write(dir, SMALL_SEGMENT, entries(1, 1, 30, 100));
    Path second = segmentFiles(dir).get(1);
    long secondFirst = Long.parseLong(second.getFileName().toString().replace(".seg", ""));
    try (WriteAheadLog log = open(dir, SMALL_SEGMENT)) {
      log.append(entries(2, secondFirst, secondFirst + 20, 100));
      log.sync();
    }
    List<Entry> expected = new ArrayList<>(entries(1, 1, secondFirst - 1, 100));
    expected.addAll(entries(2, secondFirst, secondFirst + 20, 100));
    assertThat(reopenAndRead(dir, SMALL_SEGMENT)).isEqualTo(expected);
  }

  @Test
  void overwriteFromIndexOneReplacesTheWholeLog() throws Exception {
    WalFixtures.write(dir, SMALL_SEGMENT, entries(1, 1, 40, 100));
    WalFixtures.write(dir, SMALL_SEGMENT, entries(5, 1, 3, 7));
    assertThat(reopenAndRead(dir, SMALL_SEGMENT)).isEqualTo(entries(5, 1, 3, 7));
    assertThat(segmentFiles(dir)).hasSize(1);
  }

  @Test
  void appendLeavingAGapIsRejectedNamingTheAllowedRange() throws Exception {
    try (WriteAheadLog log = open(dir, SMALL_SEGMENT)) {
      log.append(entries(1, 1, 3, 10));
      assertThatThrownBy(() -> log.append(List.of(entry(1, 5, 10))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("index 5").hasMessageContaining("1..4");
      assertThatThrownBy(() -> log.append(List.of(entry(1, 4, 10), entry(1, 6, 10))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("position 1 holds index 6, expected 5");
      assertThat(log.lastIndex()).isEqualTo(3);
      log.append(List.of(entry(1, 4, 10)));
      assertThat(log.readAll()).isEqualTo(entries(1, 1, 4, 10));
    }
  }

  @Test
  void groupCommitForcesOncePerSyncUnderAlways() throws Exception {
    List<Path> forced = new ArrayList<>();
    Fsync fsync = new Fsync(FsyncPolicy.ALWAYS, (path, nanos) -> forced.add(path), dir);
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults(), fsync)) {
      long before = fsync.stats().count();
      log.append(entries(1, 1, 64, 256));
      log.sync();
      assertThat(fsync.stats().count() - before).isEqualTo(2); // the new segment's directory entry, then the data
      log.append(entries(1, 65, 128, 256));
      log.sync();
      log.sync(); // nothing new: no fsync
      assertThat(fsync.stats().count() - before).isEqualTo(3);
      assertThat(fsync.stats().totalNanos()).isPositive();
      assertThat(forced).hasSize((int) fsync.stats().count());
    }
  }

  @Test
  void neverPolicyDoesNoFsyncButStillWritesTheLog() throws Exception {
    Fsync fsync = new Fsync(FsyncPolicy.NEVER, FsyncListener.NONE, dir);
    try (WriteAheadLog log = WriteAheadLog.open(dir, new WalOptions(SMALL_SEGMENT), fsync)) {
      log.append(entries(1, 1, 50, 100));
      log.sync();
      log.append(entries(2, 20, 25, 100));
      log.sync();
    }
    assertThat(fsync.stats().count()).isZero();
    List<Entry> expected = new ArrayList<>(entries(1, 1, 19, 100));
    expected.addAll(entries(2, 20, 25, 100));
    assertThat(reopenAndRead(dir, SMALL_SEGMENT)).isEqualTo(expected);
  }

  @Test
  void closedLogRefusesUse() throws Exception {
    WriteAheadLog log = open(dir, SMALL_SEGMENT);
    log.close();
    assertThatThrownBy(() -> log.append(List.of(entry(1, 1, 1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void segmentSizeOutsideTheAllowedRangeIsRejected() {
    assertThatThrownBy(() -> new WalOptions(10)).hasMessageContaining("segmentBytes must be in 256..1073741824, got 10");
  }
}
