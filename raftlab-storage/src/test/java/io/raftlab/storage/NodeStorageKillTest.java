package io.raftlab.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.core.Entry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node killed (SIGKILL) at a random point mid-persist keeps every entry it acknowledged. */
class NodeStorageKillTest {
  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedEntrySurvivesAKillMidWrite() throws Exception {
    long lastAcked = 0;
    for (int round = 0; round < 3; round++) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          PersistingChildProcess.class.getName(), dir.toString(), Long.toString(round))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      long ackedThisRound = 0;
      int acksWanted = 15 + round * 11;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        int acks = 0;
        while (acks < acksWanted && (line = out.readLine()) != null) {
          ackedThisRound = Long.parseLong(line.substring(4));
          acks++;
        }
        child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it keeps our end of the pipe open
        // Drain acknowledgements printed before the kill landed: they count too.
        while ((line = out.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            ackedThisRound = Long.parseLong(line.substring(4));
          }
        }
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(ackedThisRound).as("child acknowledged something in round %d", round).isGreaterThan(lastAcked);
      lastAcked = ackedThisRound;

      try (NodeStorage storage = NodeStorage.open(dir, StorageOptions.defaults().withSegmentBytes(256 << 10))) {
        List<Entry> log = storage.recovered().log();
        assertThat(log.size()).as("round %d: acknowledged up to %d", round, lastAcked).isGreaterThanOrEqualTo((int) lastAcked);
        for (Entry entry : log) {
          assertThat(entry).isEqualTo(PersistingChildProcess.expectedEntry(entry.index()));
        }
        assertThat(storage.recovered().hardState().commit()).isLessThanOrEqualTo(log.size());
      }
    }
  }
}
