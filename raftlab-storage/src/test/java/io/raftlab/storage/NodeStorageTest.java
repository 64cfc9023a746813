package io.raftlab.storage;

import static io.raftlab.storage.Readies.concat;
import static io.raftlab.storage.Readies.entries;
import static io.raftlab.storage.Readies.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.storage.fsync.FsyncPolicy;
import io.raftlab.storage.hardstate.CorruptHardStateException;
import io.raftlab.storage.hardstate.HardStateStore;
import io.raftlab.storage.fsync.Fsync;
import io.raftlab.storage.lock.DataDirectoryLockedException;
import io.raftlab.storage.wal.CorruptLogException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStorageTest {
  @TempDir
  Path dir;

  private final StorageOptions small = StorageOptions.defaults().withSegmentBytes(512);

  @Test
  void freshDirectoryRecoversABlankNodeAndIsInitialised() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      assertThat(storage.recovered().isBlank()).isTrue();
      assertThat(storage.recovered().hardState()).isEqualTo(HardState.EMPTY);
      assertThat(storage.lastIndex()).isZero();
    }
    assertThat(dir.resolve(HardStateStore.FILE_NAME)).exists();
    assertThat(dir.resolve("LOCK")).exists();
    assertThat(dir.resolve(NodeStorage.WAL_DIR)).isDirectory();
  }

  @Test
  void persistedReadiesSurviveReopenIncludingAnOverwriteAcrossSegments() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 0), entries(1, 1, 20)));
      storage.persist(ready(new HardState(1, "n1", 4), List.of()));
      storage.persist(ready(new HardState(2, null, 4), entries(2, 5, 7)));
      assertThat(storage.lastIndex()).isEqualTo(7);
    }
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      RecoveredState state = storage.recovered();
      assertThat(state.hardState()).isEqualTo(new HardState(2, null, 4));
      assertThat(state.log()).isEqualTo(concat(entries(1, 1, 4), entries(2, 5, 7)));
      assertThat(state.lastIndex()).isEqualTo(7);
      assertThat(state.isBlank()).isFalse();
    }
  }

  @Test
  void entriesAreForcedBeforeTheHardStateIsWritten() throws Exception {
    List<String> forced = new ArrayList<>();
    StorageOptions options = small.withFsyncListener((path, nanos) -> forced.add(path.getFileName().toString()));
    try (NodeStorage storage = NodeStorage.open(dir, options)) {
      forced.clear();
      storage.persist(ready(new HardState(3, "n2", 2), entries(3, 1, 2)));
    }
    int lastSegmentForce = forced.lastIndexOf("0000000000000001.seg");
    // After the first save the hard state is written in place: the file itself is forced, once.
    int hardStateForce = forced.indexOf("hardstate");
    assertThat(lastSegmentForce).isNotNegative();
    assertThat(hardStateForce).isGreaterThan(lastSegmentForce);
    assertThat(forced).doesNotContain("hardstate.tmp");
  }

  @Test
  void entriesWithoutTheirHardStateRecoverWithThePreviousHardState() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 2), entries(1, 1, 3)));
      // A crash between the two writes of a Ready leaves exactly this on disk.
      storage.persist(entries(2, 3, 6), null);
    }
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      assertThat(storage.recovered().hardState()).isEqualTo(new HardState(1, "n1", 2));
      assertThat(storage.recovered().log()).isEqualTo(concat(entries(1, 1, 2), entries(2, 3, 6)));
    }
  }

  @Test
  void hardStateCommitBeyondTheLogOnDiskIsRefusedNamingBoth() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 3), entries(1, 1, 3)));
    }
    new HardStateStore(dir, Fsync.always()).save(new HardState(1, "n1", 10));
    assertThatThrownBy(() -> NodeStorage.open(dir, small))
        .isInstanceOf(InconsistentStorageException.class)
        .hasMessageContaining("commit index 10")
        .hasMessageContaining(dir.toRealPath().resolve("hardstate").toString())
        .hasMessageContaining("last log index 3")
        .hasMessageContaining(dir.toRealPath().resolve("wal").toString());
    // The refused open released the directory.
    new HardStateStore(dir, Fsync.always()).save(new HardState(1, "n1", 3));
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      assertThat(storage.recovered().lastIndex()).isEqualTo(3);
    }
  }

  @Test
  void missingHardStateWithEntriesInTheLogIsRefused() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 0), entries(1, 1, 2)));
    }
    Files.delete(dir.resolve(HardStateStore.FILE_NAME));
    assertThatThrownBy(() -> NodeStorage.open(dir, small))
        .isInstanceOf(InconsistentStorageException.class)
        .hasMessageContaining("hardstate is missing")
        .hasMessageContaining("1..2");
  }

  @Test
  void corruptHardStateIsRefusedNamingTheFile() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(4, "n3", 1), entries(4, 1, 1)));
    }
    Path file = dir.resolve(HardStateStore.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    bytes[6] ^= 0x10;
    bytes[4096 + 6] ^= 0x10;
    Files.write(file, bytes);
    assertThatThrownBy(() -> NodeStorage.open(dir, small))
        .isInstanceOf(CorruptHardStateException.class)
        .hasMessageContaining(dir.toRealPath().resolve("hardstate").toString());
  }

  @Test
  void corruptLogIsRefusedAndTheDirectoryIsReleased() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 0), entries(1, 1, 10)));
    }
    Path firstSegment = dir.resolve("wal").resolve("0000000000000001.seg");
    byte[] bytes = Files.readAllBytes(firstSegment);
    bytes[20] ^= 1;
    Files.write(firstSegment, bytes);
    assertThatThrownBy(() -> NodeStorage.open(dir, small)).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("0000000000000001.seg at byte offset 0");
    assertThatThrownBy(() -> NodeStorage.open(dir, small)).isInstanceOf(CorruptLogException.class);
  }

  @Test
  void persistRejectsACommitIndexBeyondTheLogItWouldHaveAndWritesNothing() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 0), entries(1, 1, 2)));
      assertThatThrownBy(() -> storage.persist(ready(new HardState(1, "n1", 5), entries(1, 3, 4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("commit index 5 is beyond the last log index 4");
      assertThat(storage.lastIndex()).isEqualTo(2);
    }
  }

  @Test
  void secondOpenOfTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
    NodeStorage first = NodeStorage.open(dir, small);
    assertThatThrownBy(() -> NodeStorage.open(dir, small))
        .isInstanceOf(DataDirectoryLockedException.class)
        .hasMessageContaining(dir.toRealPath().toString());
    first.close();
    try (NodeStorage second = NodeStorage.open(dir, small)) {
      assertThat(second.recovered().isBlank()).isTrue();
    }
  }

  @Test
  void recoveredStateIsHandedOutOnlyBeforeTheFirstPersist() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.recovered();
      storage.persist(ready(new HardState(1, null, 0), List.of()));
      assertThatThrownBy(storage::recovered).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before the first persist");
    }
  }

  @Test
  void unchangedHardStateIsNotWrittenAgain() throws Exception {
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      storage.persist(ready(new HardState(1, "n1", 0), List.of()));
      long before = storage.fsyncStats().count();
      storage.persist(ready(new HardState(1, "n1", 0), List.of()));
      assertThat(storage.fsyncStats().count()).isEqualTo(before);
      storage.persist(ready(new HardState(1, "n1", 0), entries(1, 1, 1)));
      assertThat(storage.fsyncStats().count()).isEqualTo(before + 2); // the new segment's directory entry, its data
    }
  }

  @Test
  void neverPolicyStillPersistsForACleanRestart() throws Exception {
    StorageOptions never = small.withFsyncPolicy(FsyncPolicy.NEVER);
    try (NodeStorage storage = NodeStorage.open(dir, never)) {
      storage.persist(ready(new HardState(2, "n1", 1), entries(2, 1, 5)));
      assertThat(storage.fsyncStats().count()).isZero();
    }
    try (NodeStorage storage = NodeStorage.open(dir, never)) {
      assertThat(storage.recovered().log()).isEqualTo(entries(2, 1, 5));
      assertThat(storage.recovered().hardState()).isEqualTo(new HardState(2, "n1", 1));
    }
  }

  @Test
  void inMemoryStoreRecoversWhatNodeStorageRecoversForTheSameReadies() throws Exception {
    List<io.raftlab.core.Ready> readies = List.of(
        ready(new HardState(1, "a", 0), entries(1, 1, 6)),
        ready(new HardState(1, "a", 3), List.of()),
        ready(new HardState(2, "b", 3), entries(2, 4, 5)),
        ready(null, entries(2, 6, 9)),
        ready(new HardState(3, null, 8), entries(3, 9, 9)));
    InMemoryRaftStore memory = new InMemoryRaftStore();
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      for (io.raftlab.core.Ready ready : readies) {
        storage.persist(ready);
        memory.persist(ready);
        assertThat(memory.lastIndex()).isEqualTo(storage.lastIndex());
      }
    }
    try (NodeStorage storage = NodeStorage.open(dir, small)) {
      assertThat(memory.reopen().recovered()).isEqualTo(storage.recovered());
    }
  }

  @Test
  void inMemoryStoreRejectsWhatNodeStorageRejects() {
    InMemoryRaftStore memory = new InMemoryRaftStore();
    memory.persist(ready(null, entries(1, 1, 2)));
    assertThatThrownBy(() -> memory.persist(ready(null, entries(1, 4, 4))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..3");
    assertThatThrownBy(() -> memory.persist(ready(new HardState(1, null, 9), List.<Entry>of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit index 9");
    assertThat(memory.log()).isEqualTo(entries(1, 1, 2));
  }
}
