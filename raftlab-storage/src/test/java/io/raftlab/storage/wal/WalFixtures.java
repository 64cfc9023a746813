package io.raftlab.storage.wal;

import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import io.raftlab.storage.fsync.Fsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Entries with recognisable payloads, and small helpers to open and inspect logs in tests. */
final class WalFixtures {
  private WalFixtures() {
  }

  static Entry entry(long term, long index, int dataBytes) {
    byte[] data = new byte[dataBytes];
    for (int i = 0; i < dataBytes; i++) {
      data[i] = (byte) (index * 31 + term * 7 + i);
    }
    return new Entry(term, index, index % 5 == 0 ? EntryType.NOOP : EntryType.NORMAL, data);
  }

  static List<Entry> entries(long term, long fromIndex, long toIndex, int dataBytes) {
    List<Entry> list = new ArrayList<>();
    for (long i = fromIndex; i <= toIndex; i++) {
      list.add(entry(term, i, dataBytes));
    }
    return list;
  }

  static WriteAheadLog open(Path dir, long segmentBytes) throws IOException {
    return WriteAheadLog.open(dir, new WalOptions(segmentBytes), Fsync.always());
  }

  static List<Entry> reopenAndRead(Path dir, long segmentBytes) throws IOException {
    List<Entry> recovered = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, new WalOptions(segmentBytes), Fsync.always(), recovered::add)) {
      if (log.lastIndex() != recovered.size()) {
        throw new AssertionError("lastIndex " + log.lastIndex() + " but " + recovered.size() + " entries recovered");
      }
      return recovered;
    }
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  static void write(Path dir, long segmentBytes, List<Entry> entries) throws IOException {
    try (WriteAheadLog log = open(dir, segmentBytes)) {
      log.append(entries);
      log.sync();
    }
  }
}
