package io.raftlab.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Term and vote are durable at once; a change of the commit index alone is deferred (it is volatile state). */
class HardStateDurabilityTest {

  private static List<Entry> entries(long term, long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).mapToObj(i -> Entry.normal(term, i, new byte[] {1})).toList();
  }

  @Test
  void termAndVoteAreWrittenAtOnceButACommitOnlyChangeWaitsForTheNextTermChangeOrClose(@TempDir Path dir) throws Exception {
    try (NodeStorage s = NodeStorage.open(dir)) {
      s.persist(entries(1, 1, 3), new HardState(1, "n1", 0));
      s.persist(List.of(), new HardState(1, "n1", 2));
      // A crash now (no close): what a new process would read.
      assertThat(new io.raftlab.storage.hardstate.HardStateStore(dir, io.raftlab.storage.fsync.Fsync.always()).load())
          .contains(new HardState(1, "n1", 0));
      s.persist(List.of(), new HardState(2, null, 3));
      assertThat(new io.raftlab.storage.hardstate.HardStateStore(dir, io.raftlab.storage.fsync.Fsync.always()).load())
          .contains(new HardState(2, null, 3));
      s.persist(List.of(), new HardState(2, null, 3));
    }
    try (NodeStorage s = NodeStorage.open(dir)) {
      assertThat(s.recovered().hardState()).isEqualTo(new HardState(2, null, 3));
    }
  }

  @Test
  void closeWritesTheLastCommitIndex(@TempDir Path dir) throws Exception {
    try (NodeStorage s = NodeStorage.open(dir)) {
      s.persist(entries(1, 1, 2), new HardState(1, "n2", 0));
      s.persist(List.of(), new HardState(1, "n2", 2));
    }
    try (NodeStorage s = NodeStorage.open(dir)) {
      assertThat(s.recovered().hardState()).isEqualTo(new HardState(1, "n2", 2));
    }
  }
}
