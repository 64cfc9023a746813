package io.raftlab.storage.fsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.storage.CapturedLog;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncTest {
  @TempDir
  Path dir;

  @Test
  void neverPolicyLogsALoudWarningNamingTheDirectory() {
    try (CapturedLog log = new CapturedLog(Fsync.class)) {
      new Fsync(FsyncPolicy.NEVER, FsyncListener.NONE, dir);
      assertThat(log.warnings()).singleElement().asString().contains("UNSAFE").contains(dir.toString());
    }
  }

  @Test
  void alwaysPolicyLogsNoWarning() {
    try (CapturedLog log = new CapturedLog(Fsync.class)) {
      new Fsync(FsyncPolicy.ALWAYS, FsyncListener.NONE, dir);
      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void everyFsyncIsCountedTimedAndReportedToTheListener() throws Exception {
    List<Path> seen = new ArrayList<>();
    Fsync fsync = new Fsync(FsyncPolicy.ALWAYS, (path, nanos) -> seen.add(path), dir);
    Path file = dir.resolve("f");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      fsync.force(channel, file, false);
      fsync.force(channel, file, true);
    }
    fsync.directory(dir);
    assertThat(fsync.stats().count()).isEqualTo(3);
    assertThat(fsync.stats().maxNanos()).isPositive().isLessThanOrEqualTo(fsync.stats().totalNanos());
    assertThat(fsync.stats().meanNanos()).isPositive();
    assertThat(seen).containsExactly(file, file, dir);
  }

  @Test
  void neverPolicySkipsTheFsyncAndCountsNothing() throws Exception {
    Fsync fsync = new Fsync(FsyncPolicy.NEVER, FsyncListener.NONE, dir);
    fsync.directory(dir);
    assertThat(fsync.stats().count()).isZero();
  }
}
