package io.raftlab.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.chaos.report.RunVerdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short chaos run on real raftlab processes: kills and pauses under load, then the check and report. */
class KillRestartRunTest {

  @Test
  void aShortRunWithKillsRecordsEverythingAndIsLinearizable(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    KillRestartRun.Result r = KillRestartRun.run(new KillRestartRun.Options(3, 3, 3, Duration.ofSeconds(8), Duration.ofSeconds(2),
        11, dir, Map.of()), new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(r.faults()).isGreaterThanOrEqualTo(1);
    assertThat(r.ok()).isGreaterThan(20);
    List<String> history = Files.readAllLines(dir.resolve("history.jsonl"));
    long invokes = history.stream().filter(l -> l.contains("\"type\":\"invoke\"")).count();
    assertThat(history).hasSize((int) (2 * invokes)); // every invocation completed (ok, fail or info)
    assertThat(Files.readString(dir.resolve("nemesis.jsonl"))).contains("\"type\":\"start\"").contains("\"type\":\"stop\"");
    assertThat(Files.readString(dir.resolve("states.jsonl"))).contains("LEADER");
    assertThat(r.report().verdict().kind()).isEqualTo(RunVerdict.Kind.LINEARIZABLE);
    assertThat(r.monitorPolls()).isGreaterThan(5);
    assertThat(r.violations()).isEmpty();
    String results = Files.readString(dir.resolve("results.json"));
    assertThat(results).contains("\"invariant_violations\" : [ ]");
    long prefixChecks = Long.parseLong(results.replaceAll("(?s).*\"monitor_prefix_checks\" : (\\d+).*", "$1"));
    assertThat(prefixChecks).as("committed prefixes compared across nodes").isGreaterThan(5);
    assertThat(Files.readString(r.report().report())).contains("linearizable");
    // Every node process was ended.
    String pids = Files.readString(dir.resolve("cluster").resolve("cluster.json"));
    for (String pid : pids.split("\"pid\" : ")) {
      if (Character.isDigit(pid.charAt(0))) {
        long p = Long.parseLong(pid.substring(0, pid.indexOf(',')).trim());
        assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).as("node pid %d", p).isFalse();
      }
    }
  }
}
