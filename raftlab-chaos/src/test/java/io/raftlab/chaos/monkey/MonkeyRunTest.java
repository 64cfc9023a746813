package io.raftlab.chaos.monkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftlab.chaos.adapter.Implementations;
import io.raftlab.chaos.plan.PlanGenerator;
import io.raftlab.chaos.plan.PlanParser;
import io.raftlab.chaos.workload.KvWorkload;
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

/** The monkey against real raftlab processes: 2 short plans x 2 repeats on 3 nodes, two trials at once. */
class MonkeyRunTest {

  private static JsonNode results(Path dir) throws java.io.IOException {
    return new ObjectMapper().readTree(dir.resolve("results.json").toFile());
  }

  /** First and last event time of a trial's history (System.nanoTime of this JVM). */
  private static long[] span(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("history.jsonl"));
      ObjectMapper json = new ObjectMapper();
      return new long[] {json.readTree(lines.get(0)).get("time").asLong(), json.readTree(lines.get(lines.size() - 1)).get("time").asLong()};
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void twoPlansTwiceEachAreRecordedCheckedAndCompared(@TempDir Path out) throws Exception {
    PlanGenerator.Options g = PlanGenerator.Options.defaults(3, 20).withMeanGapMillis(100);
    MonkeyOptions o = new MonkeyOptions(List.of(Implementations.byName("raftlab")), 2, null, 2, 2, 2, KvWorkload.Mode.DIABOLICAL,
        7, out, g, Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(90), "raftlab monkey --nodes 3 --events 20 --seed 7");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Monkey.Result r = Monkey.run(o, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String text = printed.toString(StandardCharsets.UTF_8);

    assertThat(r.trials()).hasSize(4);
    ObjectMapper json = new ObjectMapper();
    for (TrialResult t : r.trials()) {
      assertThat(t.error()).as("%s", t).isNull();
      assertThat(t.verdict()).as("%s", t).isEqualTo("LINEARIZABLE");
      assertThat(t.violations()).isEmpty();
      assertThat(t.ok()).isGreaterThan(5);
      Path dir = t.dir();
      for (String f : List.of("plan.txt", "history.jsonl", "nemesis.jsonl", "states.jsonl", "results.json", "report.html")) {
        assertThat(dir.resolve(f)).as("%s in %s", f, dir).isRegularFile();
      }
      Path clusterDir = dir.resolve(results(dir).get("node_logs").asText());
      assertThat(clusterDir.resolve("n1").resolve("node.log")).isRegularFile();
      // The plan file reads back to the plan the seed gives.
      assertThat(PlanParser.parse("plan.txt", Files.readString(dir.resolve("plan.txt"))))
          .isEqualTo(new PlanGenerator(g).generate(PlanGenerator.planSeed(7, t.plan())));
      JsonNode results = json.readTree(dir.resolve("results.json").toFile());
      assertThat(results.get("verdict").asText()).isEqualTo("LINEARIZABLE");
      assertThat(results.get("plan_ops").asInt()).isGreaterThan(0);
      assertThat(results.get("replay").asText()).endsWith("--plan-index " + t.plan());
      // Every node process was ended.
      String pids = Files.readString(clusterDir.resolve("cluster.json"));
      for (String pid : pids.split("\"pid\" : ")) {
        if (Character.isDigit(pid.charAt(0))) {
          long p = Long.parseLong(pid.substring(0, pid.indexOf(',')).trim());
          assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).as("node pid %d", p).isFalse();
        }
      }
    }
    // Two trials ran at once, but never two of the same plan: their histories do not overlap in time.
    for (int plan = 0; plan < 2; plan++) {
      int p = plan;
      List<long[]> spans = r.trials().stream().filter(t -> t.plan() == p).map(t -> span(t.dir())).toList();
      assertThat(spans.get(0)[1] < spans.get(1)[0] || spans.get(1)[1] < spans.get(0)[0]).as("plan %d trials overlap", plan).isTrue();
    }
    assertThat(r.anyBroken()).isFalse();
    assertThat(r.differences()).containsOnlyKeys(0, 1);
    assertThat(out.resolve("plan-000").resolve("differences.txt")).isRegularFile();
    JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("trials")).hasSize(4);
    assertThat(summary.get("broken").asInt()).isZero();
    assertThat(Files.readString(out.resolve("summary.txt"))).contains("LINEARIZABLE").contains("4 trials: 0 broken");
    assertThat(text).contains("replay: raftlab monkey --nodes 3 --events 20 --seed 7 --plan-index 0")
        .contains("--plan-index 1");
  }

  /** The same plan with unary clients and with Batch-stream clients: both histories check out, diabolical clients included. */
  @Test
  void clientsOverBatchStreamsKeepTheHistoryLinearizable(@TempDir Path out) throws Exception {
    PlanGenerator.Options g = PlanGenerator.Options.defaults(3, 20).withMeanGapMillis(100);
    MonkeyOptions o = new MonkeyOptions(List.of(Implementations.byName("raftlab"), Implementations.byName("raftlab-stream")),
        1, null, 1, 2, 4, KvWorkload.Mode.DIABOLICAL, 11, out, g, Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(90),
        "raftlab monkey --impl raftlab,raftlab-stream --nodes 3 --events 20 --seed 11");
    Monkey.Result r = Monkey.run(o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(r.trials()).hasSize(2);
    assertThat(r.trials()).extracting(TrialResult::implementation).containsExactlyInAnyOrder("raftlab", "raftlab-stream");
    for (TrialResult t : r.trials()) {
      assertThat(t.error()).as("%s", t).isNull();
      assertThat(t.verdict()).as("%s", t).isEqualTo("LINEARIZABLE");
      assertThat(t.ok()).isGreaterThan(5);
    }
    assertThat(r.anyBroken()).isFalse();
  }
}
