package io.raftlab.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.core.Entry;
import io.raftlab.storage.fsync.Fsync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The log on disk behaves like a plain list under appends, overwrites, reopens and torn tails. */
class WalModelProperties {

  sealed interface Action permits Append, Reopen {
  }

  /** Appends {@code count} entries starting {@code backOff} entries before the end (overwriting those). */
  record Append(int backOff, int count, int dataBytes) implements Action {
  }

  record Reopen() implements Action {
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Action> append = Combinators.combine(Arbitraries.integers().between(0, 12),
        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(0, 300)).as(Append::new);
    Arbitrary<Action> reopen = Arbitraries.just(new Reopen());
    return Arbitraries.frequencyOf(Tuple.of(5, append), Tuple.of(1, reopen)).list().ofMaxSize(25);
  }

  /** Applies the actions to a real log and to a list, checking they agree after every step; returns the list. */
  private static List<Entry> run(Path dir, long segmentBytes, List<Action> actions) throws IOException {
    List<Entry> model = new ArrayList<>();
    long term = 0;
    WriteAheadLog log = WalFixtures.open(dir, segmentBytes);
    try {
      for (Action action : actions) {
        if (action instanceof Append a) {
          term++;
          long first = Math.max(1, model.size() + 1 - a.backOff());
          List<Entry> batch = WalFixtures.entries(term, first, first + a.count() - 1, a.dataBytes());
          log.append(batch);
          log.sync();
          model.subList((int) first - 1, model.size()).clear();
          model.addAll(batch);
        } else {
          log.close();
          List<Entry> recovered = new ArrayList<>();
          log = WriteAheadLog.open(dir, new WalOptions(segmentBytes), Fsync.always(), recovered::add);
          assertThat(log.recoveredTornTail()).isNull();
          assertThat(recovered).isEqualTo(model);
        }
        assertThat(log.lastIndex()).isEqualTo(model.size());
      }
      assertThat(log.readAll()).isEqualTo(model);
    } finally {
      log.close();
    }
    assertThat(WalFixtures.reopenAndRead(dir, segmentBytes)).isEqualTo(model);
    return model;
  }

  @Property(tries = 100)
  void logMatchesAListModelAcrossAppendsOverwritesAndReopens(@ForAll("actions") List<Action> actions,
      @ForAll @IntRange(min = 256, max = 4096) int segmentBytes) throws IOException {
    Path dir = Files.createTempDirectory("wal-model");
    try {
      run(dir, segmentBytes, actions);
    } finally {
      deleteRecursively(dir);
    }
  }

  @Property(tries = 60)
  void cuttingTheLastSegmentAnywhereRecoversExactlyTheRecordsWhollyBeforeTheCut(
      @ForAll("actions") List<Action> actions, @ForAll @IntRange(min = 256, max = 4096) int segmentBytes,
      @ForAll @DoubleRange(min = 0, max = 1) double cutFraction) throws IOException {
    Path dir = Files.createTempDirectory("wal-cut");
    try {
      List<Entry> model = run(dir, segmentBytes, actions);
      List<Path> files = WalFixtures.segmentFiles(dir);
      if (files.isEmpty()) {
        return;
      }
      Path last = files.get(files.size() - 1);
      long lastFirst = Long.parseLong(last.getFileName().toString().replace(".seg", ""));
      long size = Files.size(last);
      long cut = (long) Math.floor(cutFraction * size);
      try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
        channel.truncate(cut);
      }
      List<Entry> expected = new ArrayList<>(model.subList(0, (int) lastFirst - 1));
      long end = 0;
      for (Entry entry : model.subList((int) lastFirst - 1, model.size())) {
        end += RecordFrame.frameBytes(entry);
        if (end > cut) {
          break;
        }
        expected.add(entry);
      }
      assertThat(WalFixtures.reopenAndRead(dir, segmentBytes)).isEqualTo(expected);
    } finally {
      deleteRecursively(dir);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
