package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCommandTest {

  /** Exit code and captured stdout/stderr of one {@code raftlab} invocation. */
  private record Outcome(int code, String out, String err) {}

  private static synchronized Outcome run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = RaftlabCommand.execute(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void sameSeedPrintsByteIdenticalOutputTwice() {
    Outcome a = run("sim", "--seed", "17", "--nodes", "5", "--steps", "1500");
    Outcome b = run("sim", "--seed", "17", "--nodes", "5", "--steps", "1500");
    assertThat(a.code()).isZero();
    assertThat(a.out()).contains("deliver", "seed 17: 1500 steps", "no violation");
    assertThat(a.out()).isEqualTo(b.out());
    Outcome other = run("sim", "--seed", "18", "--nodes", "5", "--steps", "1500");
    assertThat(other.out()).isNotEqualTo(a.out());
  }

  @Test
  void plantedBugExitsOneAndPrintsAReplayableReport() {
    Outcome o = run("sim", "--seed", "1", "--seeds", "40", "--nodes", "5", "--steps", "3000",
        "--bug", "READ_WITHOUT_QUORUM", "--quiet");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.out()).contains("VIOLATION: Reads Not Stale", "seed:", "step:", "evidence:",
        "replay:   raftlab sim --seed", "--bug READ_WITHOUT_QUORUM", "last 50 events:");
    String replay = o.out().lines().filter(l -> l.startsWith("  replay:")).findFirst().orElseThrow()
        .substring("  replay:   raftlab ".length());
    Outcome again = run(replay.split(" "));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out()).contains("VIOLATION: Reads Not Stale");
  }

  @Test
  void sweepPrintsASummaryTableAndProgressOnStderr() {
    Outcome o = run("sim", "--seed", "5", "--seeds", "30", "--steps", "1000");
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("seeds", "steps", "elections", "commits", "violations", "time", "steps/s");
    assertThat(o.out().lines().skip(1).findFirst().orElseThrow()).startsWith("30 ").contains(" 30000 ");
    assertThat(o.err()).contains("30/30 seeds");
  }

  @Test
  void outWritesTheRunDirectoryFiles(@TempDir Path dir) throws Exception {
    Outcome o = run("sim", "--seed", "3", "--steps", "3000", "--quiet", "--out", dir.toString());
    assertThat(o.code()).isZero();
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
    Outcome o = run("sim", "--drop-rate", "2");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("drop-rate must be in 0..1, got 2.0");
    Outcome n = run("sim", "--nodes", "0");
    assertThat(n.code()).isEqualTo(2);
    assertThat(n.err()).contains("nodes must be in 1..64, got 0");
  }

  @Test
  void benchReportsSimulatorCoreAndCheckFigures() {
    Outcome o = run("sim", "--bench", "--seeds", "5", "--steps", "1000");
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("whole simulator:", "core steps/s", "client ops ok/s", "invariant checks:",
        "core alone:");
  }
}
