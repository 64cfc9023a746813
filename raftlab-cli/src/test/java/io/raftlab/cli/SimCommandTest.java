package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCommandTest {


  @Test
  void sameSeedPrintsByteIdenticalOutputTwice() {
    CliRun a = CliRun.of("sim", "--seed", "17", "--nodes", "5", "--steps", "1500");
    CliRun b = CliRun.of("sim", "--seed", "17", "--nodes", "5", "--steps", "1500");
    assertThat(a.exit()).isZero();
    assertThat(a.out()).contains("deliver", "seed 17: 1500 steps", "no violation");
    assertThat(a.out()).isEqualTo(b.out());
    CliRun other = CliRun.of("sim", "--seed", "18", "--nodes", "5", "--steps", "1500");
    assertThat(other.out()).isNotEqualTo(a.out());
  }

  @Test
  void plantedBugExitsOneAndPrintsAReplayableReport() {
    CliRun o = CliRun.of("sim", "--seed", "1", "--seeds", "40", "--nodes", "5", "--steps", "3000",
        "--bug", "READ_WITHOUT_QUORUM", "--quiet");
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.out()).contains("VIOLATION: Reads Not Stale", "seed:", "step:", "evidence:",
        "replay:   raftlab sim --seed", "--bug READ_WITHOUT_QUORUM", "last 50 events:");
    String replay = o.out().lines().filter(l -> l.startsWith("  replay:")).findFirst().orElseThrow()
        .substring("  replay:   raftlab ".length());
    CliRun again = CliRun.of(replay.split(" "));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).contains("VIOLATION: Reads Not Stale");
  }

  @Test
  void sweepPrintsASummaryTableAndProgressOnStderr() {
    CliRun o = CliRun.of("sim", "--seed", "5", "--seeds", "30", "--steps", "1000");
    assertThat(o.exit()).isZero();
    assertThat(o.out()).contains("seeds", "steps", "elections", "commits", "violations", "time", "steps/s");
    assertThat(o.out().lines().skip(1).findFirst().orElseThrow()).startsWith("30 ").contains(" 30000 ");
    assertThat(o.err()).contains("30/30 seeds");
  }

  @Test
  void outWritesTheRunDirectoryFiles(@TempDir Path dir) throws Exception {
    CliRun o = CliRun.of("sim", "--seed", "3", "--steps", "3000", "--quiet", "--out", dir.toString());
    assertThat(o.exit()).isZero();
    List<String> history = Files.readAllLines(dir.resolve("history.jsonl"));
    assertThat(history).isNotEmpty();
    assertThat(history.get(0)).matches("\\{\"process\":\\d+,\"type\":\"invoke\",\"f\":\"(read|write|cas)\",\"key\":\"k\\d\","
        + "\"value\":.*,\"time\":\\d+,\"node\":\"n\\d\"}");
    assertThat(history).anyMatch(l -> l.contains("\"type\":\"ok\""));
    assertThat(Files.readAllLines(dir.resolve("states.jsonl")))
        .anyMatch(l -> l.matches("\\{\"time\":\\d+,\"node\":\"n\\d\",\"role\":\"LEADER\",\"term\":\\d+,\"commit\":\\d+}"));
    assertThat(Files.readAllLines(dir.resolve("nemesis.jsonl")))
        .allMatch(l -> l.matches("\\{\"time\":\\d+,\"type\":\"(start|stop)\",\"fault\":\"[a-z-]+\",\"nodes\":\\[.*"));
  }

  @Test
  void badArgumentsExitTwoNamingTheParameter() {
    CliRun o = CliRun.of("sim", "--drop-rate", "2");
    assertThat(o.exit()).isEqualTo(2);
    assertThat(o.err()).contains("drop-rate must be in 0..1, got 2.0");
    CliRun n = CliRun.of("sim", "--nodes", "0");
    assertThat(n.exit()).isEqualTo(2);
    assertThat(n.err()).contains("nodes must be in 1..64, got 0");
  }

  @Test
  void benchReportsSimulatorCoreAndCheckFigures() {
    CliRun o = CliRun.of("sim", "--bench", "--seeds", "5", "--steps", "1000");
    assertThat(o.exit()).isZero();
    assertThat(o.out()).contains("whole simulator:", "core steps/s", "client ops ok/s", "invariant checks:",
        "core alone:");
  }
}
