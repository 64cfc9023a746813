package io.raftlab.storage;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.Ready;
import java.util.ArrayList;
import java.util.List;

/** Readies and entries for storage tests: only the parts storage persists are filled in. */
final class Readies {
  private Readies() {
  }

  static Ready ready(HardState hardState, List<Entry> entries) {
    return new Ready(null, hardState, entries, List.of(), List.of(), List.of(), List.of());
  }

  static List<Entry> entries(long term, long from, long to) {
    List<Entry> list = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      list.add(Entry.normal(term, i, ("cmd-" + term + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return list;
  }

  static List<Entry> concat(List<Entry> a, List<Entry> b) {
    List<Entry> list = new ArrayList<>(a);
    list.addAll(b);
    return list;
  }
}
