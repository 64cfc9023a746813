package io.raftlab.chaos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.chaos.adapter.RaftlabImplementation;
import io.raftlab.chaos.bench.FailoverTrials.TimeoutRange;
import io.raftlab.chaos.bench.FailoverTrials.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `raftlab failover` on real raftlab processes: each trial kills the leader and times its successor. */
class FailoverTrialsProcessTest {

  @TempDir
  Path dir;

  @Test
  void eachTrialKillsTheLeaderAndTimesTheElectionThePollAndTheFirstWrite() throws Exception {
    Map<String, String> settings = FailoverTrials.settingsFor("raftlab", TimeoutRange.parse("150-300"), false);
    List<String> progress = new ArrayList<>();
    List<Trial> trials = FailoverTrials.run(new RaftlabImplementation(), dir.resolve("cluster"), 3, settings, 2,
        Duration.ofMillis(500), Duration.ofMillis(2), progress::add);

    assertThat(trials).hasSize(2);
    for (Trial t : trials) {
      assertThat(t.newLeader()).as("trial %d", t.number()).isNotEqualTo(t.killed());
      // The winner's own clock says when it won: after the kill, and no later than the poll saw it.
      assertThat(t.electedMillis()).as("trial %d", t.number()).isPositive().isLessThanOrEqualTo(t.leaderMillis());
      assertThat(t.leaderMillis()).isLessThanOrEqualTo(t.writeMillis());
      // The victim has exited before polling for its successor starts.
      assertThat(t.exitMillis()).as("trial %d", t.number()).isPositive().isLessThan(t.leaderMillis());
      assertThat(t.withoutLeaderMillis()).isEqualTo(t.electedMillis());
    }
    assertThat(progress).hasSize(2).allSatisfy(line -> assertThat(line).contains("killed", "exited after", "won after", "write ok"));

    Path csv = dir.resolve("f.csv");
    FailoverTrials.writeCsv(csv, trials);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("trial,killed,new_leader,elected_ms,leader_ms,write_ms,exit_ms");
    assertThat(lines).hasSize(3);
    Path png = dir.resolve("f.png");
    FailoverTrials.writeCdf(png, "test", Map.of("150-300 ms", trials));
    assertThat(Files.size(png)).isPositive();
  }
}
