package io.raftlab.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.core.Entry;
import io.raftlab.storage.fsync.Fsync;
import io.raftlab.storage.fsync.FsyncListener;
import io.raftlab.storage.fsync.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: appends of 256-byte entries, one sync per batch, with 1 and 64 entries per batch.
 * Prints entries/s, fsyncs/s and the mean fsync latency, and writes them to
 * target/wal-write-benchmark.txt.
 */
@Tag("bench")
class WalWriteBenchmark {
  private static final int ENTRY_BYTES = 256;
  private static final long WARMUP_NANOS = 1_000_000_000L;
  private static final long MEASURE_NANOS = 5_000_000_000L;

  @TempDir
  Path tmp;

  private record Result(FsyncPolicy policy, int batch, long entries, long fsyncs, double seconds, double meanFsyncMicros,
      double maxFsyncMicros) {
    double entriesPerSecond() {
      return entries / seconds;
    }

    double fsyncsPerSecond() {
      return fsyncs / seconds;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "| %-6s | %3d | %,12.0f | %,10.0f | %8.1f | %8.1f |", policy, batch,
          entriesPerSecond(), fsyncsPerSecond(), meanFsyncMicros, maxFsyncMicros);
    }
  }

  private Result run(FsyncPolicy policy, int batch) throws IOException {
    Path dir = tmp.resolve(policy + "-" + batch);
    Fsync fsync = new Fsync(policy, FsyncListener.NONE, dir);
    byte[] data = new byte[ENTRY_BYTES];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13);
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults(), fsync)) {
      long index = 1;
      long warmupEnd = System.nanoTime() + WARMUP_NANOS;
      while (System.nanoTime() < warmupEnd) {
        index = appendBatch(log, index, batch, data);
      }
      long fsyncsBefore = fsync.stats().count();
      long nanosBefore = fsync.stats().totalNanos();
      long entriesBefore = index;
      long start = System.nanoTime();
      long end = start + MEASURE_NANOS;
      long now;
      do {
        index = appendBatch(log, index, batch, data);
        now = System.nanoTime();
      } while (now < end);
      double seconds = (now - start) / 1e9;
      long fsyncs = fsync.stats().count() - fsyncsBefore;
      double meanMicros = fsyncs == 0 ? 0 : (fsync.stats().totalNanos() - nanosBefore) / 1e3 / fsyncs;
      return new Result(policy, batch, index - entriesBefore, fsyncs, seconds, meanMicros, fsync.stats().maxNanos() / 1e3);
    }
  }

  private static long appendBatch(WriteAheadLog log, long index, int batch, byte[] data) throws IOException {
    List<Entry> entries = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      entries.add(Entry.normal(1, index + i, data));
    }
    log.append(entries);
    log.sync();
    return index + batch;
  }

  @Test
  void groupCommitWritesMoreEntriesPerSecondWithLargerBatches() throws IOException {
    List<Result> results = new ArrayList<>();
    for (int batch : new int[] {1, 64}) {
      results.add(run(FsyncPolicy.ALWAYS, batch));
    }
    for (int batch : new int[] {1, 64}) {
      results.add(run(FsyncPolicy.NEVER, batch));
    }
    StringBuilder table = new StringBuilder();
    table.append("| fsync  | entries/batch | entries/s | fsyncs/s | mean fsync us | max fsync us |\n");
    table.append("|---|---:|---:|---:|---:|---:|\n");
    for (Result result : results) {
      table.append(result).append('\n');
    }
    System.out.print(table);
    Files.writeString(Path.of("target", "wal-write-benchmark.txt"), table);

    Result one = results.get(0);
    Result sixtyFour = results.get(1);
    assertThat(one.fsyncs()).isGreaterThan(0);
    // One fsync per batch (plus the occasional roll): group commit must amortise it.
    assertThat(sixtyFour.fsyncs()).isLessThan(sixtyFour.entries() / 32);
    assertThat(sixtyFour.entriesPerSecond()).isGreaterThan(one.entriesPerSecond());
  }
}
