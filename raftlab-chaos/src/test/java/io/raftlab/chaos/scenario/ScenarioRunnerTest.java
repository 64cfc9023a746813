package io.raftlab.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.chaos.report.RunVerdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shipped scenarios and a deliberately wrong one, on real raftlab processes behind the proxy mesh. */
class ScenarioRunnerTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  private ScenarioRunner.Result run(String source, String text) throws Exception {
    Scenario s = ScenarioParser.parse(source, text);
    // Kept for the assertions and copied to the test's output file for a reader of a failure.
    PrintStream out = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        progress.write(b);
        System.out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        progress.write(b, off, len);
        System.out.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8);
    return ScenarioRunner.run(s, ScenarioRunner.Options.defaults(dir.resolve("run"), out));
  }

  private ScenarioRunner.Result runShipped(String name) throws Exception {
    Path file = ScenarioFiles.directory().resolve(name);
    return run(name, Files.readString(file));
  }

  private String progress() {
    return progress.toString(StandardCharsets.UTF_8);
  }

  /** Every node process this test started has ended (their command lines name the temporary directory). */
  @AfterEach
  void everyNodeProcessEnded() {
    List<ProcessHandle> alive = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
        .filter(ProcessHandle::isAlive).toList();
    assertThat(alive).as("node processes still running").isEmpty();
  }

  private void assertPassedWithRunDirectory(ScenarioRunner.Result r) throws Exception {
    assertThat(r.status()).as(progress()).isEqualTo(ScenarioRunner.Status.PASSED);
    Path run = dir.resolve("run");
    for (String f : List.of("script.txt", "history.jsonl", "nemesis.jsonl", "states.jsonl", "results.json", "report.html")) {
      assertThat(run.resolve(f)).as(f).exists();
    }
    assertThat(Files.readString(run.resolve("results.json"))).contains("\"status\" : \"PASSED\"")
        .contains("\"invariants\" : \"held\"");
    assertThat(r.verdict()).map(RunVerdict::kind).contains(RunVerdict.Kind.LINEARIZABLE);
    assertThat(Files.readString(run.resolve("states.jsonl"))).contains("LEADER");
  }

  @Test
  void leaderCrashAndRecoveryKeepsEveryAcknowledgedWrite() throws Exception {
    ScenarioRunner.Result r = runShipped("leader-crash.scn");
    assertPassedWithRunDirectory(r);
    String nemesis = Files.readString(dir.resolve("run/nemesis.jsonl"));
    assertThat(nemesis).contains("\"fault\":\"kill\"").contains("\"type\":\"stop\"");
    assertThat(r.ok()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void minorityPartitionCannotCommitOrElect() throws Exception {
    ScenarioRunner.Result r = runShipped("minority-partition.scn");
    assertPassedWithRunDirectory(r);
    assertThat(Files.readString(dir.resolve("run/nemesis.jsonl"))).contains("\"fault\":\"partition\"");
    assertThat(progress()).contains("did not succeed, as expected");
  }

  @Test
  void concurrentWritersOnOneKeyLeaveALinearizableHistory() throws Exception {
    ScenarioRunner.Result r = runShipped("concurrent-writers.scn");
    assertPassedWithRunDirectory(r);
    // Writers ran as their own processes: at least five client processes in the history.
    long processes = Files.readAllLines(dir.resolve("run/history.jsonl")).stream()
        .map(l -> l.replaceAll(".*\"process\":(\\d+).*", "$1")).distinct().count();
    assertThat(processes).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aWrongExpectationStopsTheRunNamingItsLineAndWhatWasSeen() throws Exception {
    ScenarioRunner.Result r = run("wrong.scn", """
        # The value written is 'v'; this script wrongly expects 'w'.
        start 3
        wait leader within 20s
        set k v
        expect get k == w
        set never reached
        """);
    assertThat(r.status()).as(progress()).isEqualTo(ScenarioRunner.Status.FAILED);
    assertThat(r.failedLine()).isEqualTo(5);
    assertThat(r.message()).startsWith("wrong.scn:5: expectation failed: expect get k == w (saw 'v', answered by n");
    assertThat(progress()).doesNotContain("set never reached");
    assertThat(Files.readString(dir.resolve("run/results.json"))).contains("\"failed_line\" : 5").contains("\"status\" : \"FAILED\"");
  }

  @Test
  void aClusterThatCannotStartIsASetupFailureAtTheStartLine() throws Exception {
    ScenarioRunner.Result r = run("unsafe.scn", """
        # Heartbeats slower than the election timeout are refused unless 'unsafe' is set.
        set-param heartbeat-millis 1500
        start 3
        set k v
        """);
    assertThat(r.status()).as(progress()).isEqualTo(ScenarioRunner.Status.SETUP_FAILED);
    assertThat(r.failedLine()).isEqualTo(3);
    assertThat(r.message()).startsWith("unsafe.scn:3: the cluster did not start: ").contains("heartbeat-millis");
  }

  @Test
  void aFailureInsideAnAfterBlockStopsTheRunNamingTheBlocksLine() throws Exception {
    long t0 = System.nanoTime();
    ScenarioRunner.Result r = run("block.scn", """
        start 3
        wait leader within 20s
        set k v
        after 0ms {
          get k
          expect get k == nope
        }
        sleep 30s
        set never reached
        """);
    assertThat(r.status()).as(progress()).isEqualTo(ScenarioRunner.Status.FAILED);
    assertThat(r.failedLine()).isEqualTo(6);
    assertThat(r.message()).startsWith("block.scn:6: expectation failed: expect get k == nope (saw 'v'");
    assertThat(progress()).doesNotContain("set never reached");
    // The main line's 30 s sleep is cut short by the block's failure.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
  }
}
