package io.raftlab.storage.hardstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.HardState;
import io.raftlab.storage.fsync.Fsync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardStateStoreTest {
  @TempDir
  Path dir;

  private HardStateStore store() {
    return new HardStateStore(dir, Fsync.always());
  }

  @Test
  void savedHardStateIsLoadedBackByANewStore() throws Exception {
    store().save(new HardState(7, "node-2", 42));
    assertThat(store().load()).contains(new HardState(7, "node-2", 42));
    store().save(new HardState(8, null, 43));
    assertThat(store().load()).contains(new HardState(8, null, 43));
    store().save(new HardState(9, "nœud-ü", 0));
    assertThat(store().load()).contains(new HardState(9, "nœud-ü", 0));
  }

  @Test
  void missingFileMeansNothingWasEverSaved() throws Exception {
    assertThat(store().load()).isEqualTo(Optional.empty());
  }

  @Test
  void saveReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(1, "a", 0));
    store.save(new HardState(2, "b", 1));
    assertThat(store.load()).contains(new HardState(2, "b", 1));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(HardStateStore.FILE_NAME);
    }
  }

  @Test
  void leftoverTemporaryFileFromACrashedSaveIsIgnoredAndOverwritten() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(3, "x", 2));
    // A crash after writing the temporary file but before the rename: the old state must stand.
    Files.write(dir.resolve("hardstate.tmp"), new byte[] {1, 2, 3});
    assertThat(store.load()).contains(new HardState(3, "x", 2));
    store.save(new HardState(4, "y", 2));
    assertThat(store.load()).contains(new HardState(4, "y", 2));
  }

  @Test
  void flippedBitAnywhereInTheFileIsRefusedNamingTheFile() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(5, "node-1", 17));
    byte[] good = Files.readAllBytes(store.file());
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        Files.write(store.file(), bad);
        assertThatThrownBy(store::load)
            .as("bit %d of byte %d", bit, i)
            .isInstanceOf(CorruptHardStateException.class)
            .hasMessageContaining(store.file().toString());
      }
    }
  }

  @Test
  void truncatedOrOversizedFileIsRefusedNamingTheFileAndTheSize() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(5, "node-1", 17));
    byte[] good = Files.readAllBytes(store.file());
    for (int length = 0; length < good.length; length++) {
      Files.write(store.file(), java.util.Arrays.copyOf(good, length));
      assertThatThrownBy(store::load).isInstanceOf(CorruptHardStateException.class)
          .hasMessageContaining(store.file().toString());
    }
    Files.write(store.file(), new byte[100_000]);
    assertThatThrownBy(store::load).isInstanceOf(CorruptHardStateException.class)
        .hasMessageContaining("file is 100000 bytes");
  }
}
