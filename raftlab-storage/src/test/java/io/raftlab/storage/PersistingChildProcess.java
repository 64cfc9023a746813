package io.raftlab.storage;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.Ready;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Run in a child JVM by {@link NodeStorageKillTest}: persists batches of entries to {@code DIR}
 * forever, printing {@code ACK n} after each persist returns (the point where a server would send
 * its messages), until it is killed.
 */
public final class PersistingChildProcess {
  private PersistingChildProcess() {
  }

  static Entry expectedEntry(long index) {
    byte[] data = new byte[1000 + (int) (index % 50)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (index + i);
    }
    return Entry.normal(1 + index / 1000, index, data);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    try (NodeStorage storage = NodeStorage.open(dir, StorageOptions.defaults().withSegmentBytes(256 << 10))) {
      long next = storage.recovered().lastIndex() + 1;
      while (true) {
        int batch = 1 + random.nextInt(200);
        List<Entry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          entries.add(expectedEntry(next + i));
        }
        long last = next + batch - 1;
        HardState hardState = new HardState(1 + last / 1000, "child", next - 1);
        storage.persist(new Ready(null, hardState, entries, List.of(), List.of(), List.of(), List.of()));
        System.out.println("ACK " + last);
        next = last + 1;
      }
    }
  }
}
