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
  void savesAfterTheFirstWriteTwoSlotsInPlaceAndLeaveNoTemporaryFile() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(1, "a", 0));
    Object inode = Files.getAttribute(store.file(), "unix:ino");
    store.save(new HardState(2, "b", 1));
    store.save(new HardState(3, "c", 1));
    assertThat(store.load()).contains(new HardState(3, "c", 1));
    assertThat(Files.getAttribute(store.file(), "unix:ino")).as("no rename after the first save").isEqualTo(inode);
    assertThat(Files.size(store.file())).isEqualTo(HardStateStore.FILE_BYTES);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(HardStateStore.FILE_NAME);
    }
  }

  @Test
  void aSaveCutShortAtAnyByteLeavesThePreviousSaveOrTheNewOne() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(4, "n1", 3));
    store.save(new HardState(5, "n2", 3));
    byte[] before = Files.readAllBytes(store.file());
    // The third save goes to slot 1 (sequence 3), over sequence 1.
    byte[] slot = HardStateStore.encodeSlot(new HardState(6, "n3", 4), 3);
    for (int cut = 0; cut <= slot.length; cut++) {
      byte[] torn = before.clone();
      System.arraycopy(slot, 0, torn, HardStateStore.SLOT_BYTES, cut);
      Files.write(store.file(), torn);
      HardState expected = cut == slot.length ? new HardState(6, "n3", 4) : new HardState(5, "n2", 3);
      assertThat(store().load()).as("cut at byte %d of %d", cut, slot.length).contains(expected);
    }
  }

  @Test
  void bothSlotsUnreadableIsRefusedNamingTheFileAndBothProblems() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(5, "node-1", 17));
    store.save(new HardState(6, "node-1", 17));
    byte[] bytes = Files.readAllBytes(store.file());
    bytes[20] ^= 1;
    bytes[HardStateStore.SLOT_BYTES + 20] ^= 1;
    Files.write(store.file(), bytes);
    assertThatThrownBy(store::load)
        .isInstanceOf(CorruptHardStateException.class)
        .hasMessageContaining(store.file().toString())
        .hasMessageContaining("slot 0 (offset 0): CRC mismatch")
        .hasMessageContaining("slot 1 (offset 4096): CRC mismatch");
  }

  @Test
  void slotsWithTheSameSequenceAreRefused() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(5, "node-1", 17));
    byte[] bytes = Files.readAllBytes(store.file());
    byte[] same = HardStateStore.encodeSlot(new HardState(9, "node-2", 1), 1);
    System.arraycopy(same, 0, bytes, 0, same.length);
    Files.write(store.file(), bytes);
    assertThatThrownBy(store::load).isInstanceOf(CorruptHardStateException.class)
        .hasMessageContaining("both slots hold sequence 1");
  }

  @Test
  void aFileOfTheFirstFormatIsReadAndConvertedByTheNextSave() throws Exception {
    Files.write(dir.resolve(HardStateStore.FILE_NAME), HardStateStore.encodeRenamed(new HardState(3, "n2", 7)));
    HardStateStore store = store();
    assertThat(store.load()).contains(new HardState(3, "n2", 7));
    store.save(new HardState(4, null, 7));
    assertThat(Files.size(store.file())).isEqualTo(HardStateStore.FILE_BYTES);
    assertThat(store().load()).contains(new HardState(4, null, 7));
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
  void flippedBitAnywhereInTheOnlySavedSlotIsRefusedNamingTheFile() throws Exception {
    HardStateStore store = store();
    store.save(new HardState(5, "node-1", 17));
    byte[] good = Files.readAllBytes(store.file());
    int length = HardStateStore.encodeSlot(new HardState(5, "node-1", 17), 1).length;
    for (int i = HardStateStore.SLOT_BYTES; i < HardStateStore.SLOT_BYTES + length; i++) {
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
    for (int length = 0; length < good.length; length += 97) {
      Files.write(store.file(), java.util.Arrays.copyOf(good, length));
      assertThatThrownBy(store::load).as("%d bytes", length).isInstanceOf(CorruptHardStateException.class)
          .hasMessageContaining(store.file().toString());
    }
    byte[] v1 = HardStateStore.encodeRenamed(new HardState(5, "node-1", 17));
    for (int length = 0; length < v1.length; length++) {
      Files.write(store.file(), java.util.Arrays.copyOf(v1, length));
      assertThatThrownBy(store::load).isInstanceOf(CorruptHardStateException.class)
          .hasMessageContaining(store.file().toString());
    }
    Files.write(store.file(), new byte[100_000]);
    assertThatThrownBy(store::load).isInstanceOf(CorruptHardStateException.class)
        .hasMessageContaining("file is 100000 bytes");
  }
}
