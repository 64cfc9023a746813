package io.raftlab.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class RunReportTest {
  @TempDir Path tmp;

  static JsonNode runData(String html) throws Exception {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"run-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    assertThat(m.find()).as("report embeds its timeline data").isTrue();
    return new ObjectMapper().readTree(m.group(1));
  }

  /** A stale read: k1 is written 1 then 2, then a later read returns 1. */
  static RunFixture staleReadRun() {
    return new RunFixture()
        .write(0, "k1", 1, 0, 10, "ok")
        .write(1, "k1", 2, 20, 30, "ok")
        .read(2, "k1", 1, 40, 50, "ok")
        .write(0, "k2", 7, 12, 18, "ok")
        .read(1, "k2", 7, 35, 45, "ok")
        .fault("start", "partition", List.of("n1"), 15, "n1 | n2,n3")
        .fault("stop", "partition", List.of("n1"), 45, null);
  }

  @Test
  void linearizableRunIsReportedLinearizableWithCountsSummaryAndPlan() throws Exception {
    Path dir = RunFixture.linearizableRun().writeTo(tmp);
    RunFixture.writeExtras(dir);
    RunReport.Outcome outcome = RunReport.write(dir, new ReportOptions(Duration.ofSeconds(20), "kv"));
    assertThat(outcome.report()).isEqualTo(dir.resolve("report.html")).exists();
    assertThat(outcome.verdict().kind()).isEqualTo(RunVerdict.Kind.LINEARIZABLE);
    String html = Files.readString(outcome.report());
    assertThat(html).contains("<span class=\"verdict LINEARIZABLE\" id=\"verdict-text\">linearizable</span>");
    assertThat(html).contains("119 ok").contains("1 fail").contains("0 info (unknown)");
    assertThat(html).contains("<tr><th>scenario</th><td>partition-leader</td></tr>")
        .contains("<tr><th>nodes</th><td>[&quot;n1&quot;,&quot;n2&quot;,&quot;n3&quot;]</td></tr>");
    assertThat(html).contains("<summary>plan.txt</summary><pre>at 0.3s partition n1 | n2,n3\nat 0.6s heal\n"
        + "at 0.8s kill n3 &lt;forever&gt;\n</pre>");
    assertThat(html).doesNotContain("id=\"conflicts\"");
    JsonNode data = runData(html);
    assertThat(data.get("mode").asText()).isEqualTo("ops");
    assertThat(data.get("ops")).hasSize(120);
    assertThat(data.get("lanes")).hasSize(3);
    assertThat(data.get("nodes")).hasSize(3);
  }

  @Test
  void reportIsSelfContained() throws Exception {
    Path dir = RunFixture.linearizableRun().writeTo(tmp);
    RunFixture.writeExtras(dir);
    String html = Files.readString(RunReport.write(dir).report());
    // The only absolute URL allowed is the SVG namespace name, which is never fetched.
    String withoutNamespace = html.replace("\"http://www.w3.org/2000/svg\"", "");
    assertThat(withoutNamespace).doesNotContainPattern("(?i)https?://").doesNotContain("@import")
        .doesNotContainPattern("(?i)<link ").doesNotContainPattern("(?i)<script[^>]* src=");
    Matcher images = Pattern.compile("<img [^>]*src=\"([^\"]{0,30})").matcher(html);
    int count = 0;
    while (images.find()) {
      assertThat(images.group(1)).startsWith("data:image/png;base64,");
      count++;
    }
    assertThat(count).isEqualTo(2);
  }

  @Test
  void staleReadIsReportedNotLinearizableAndTheReadIsHighlighted() throws Exception {
    Path dir = staleReadRun().writeTo(tmp);
    RunReport.Outcome outcome = RunReport.write(dir, new ReportOptions(Duration.ofSeconds(20), "kv"));
    RunVerdict verdict = outcome.verdict();
    assertThat(verdict.kind()).isEqualTo(RunVerdict.Kind.NOT_LINEARIZABLE);
    // Ops are numbered in the order of their invoke lines: k1 writes 0 and 1, the stale read 2, k2 ops 3 and 4.
    assertThat(verdict.impossibleId()).isEqualTo(2);
    assertThat(verdict.key()).isEqualTo("k1");
    assertThat(verdict.highlighted()).contains(2).doesNotContain(3, 4);
    // The writes the read ran into are shown: in the checker's set, or else as context.
    List<Integer> shown = new ArrayList<>(verdict.highlighted());
    shown.addAll(verdict.contextIds());
    assertThat(shown).contains(0, 1, 2).doesNotContain(3, 4);
    String html = Files.readString(outcome.report());
    assertThat(html).contains("<span class=\"verdict NOT_LINEARIZABLE\" id=\"verdict-text\">NOT linearizable</span>");
    assertThat(html).containsPattern("<tr class=\"impossible\" data-op=\"2\">.*#2 p2 read\\(k1\\) = 1 ok");
    JsonNode ops = runData(html).get("ops");
    List<Integer> flagged = new ArrayList<>();
    for (JsonNode op : ops) {
      if (op.get(6).asInt() == 1 || op.get(6).asInt() == 2) {
        flagged.add(op.get(4).asInt());
      }
      if (op.get(4).asInt() == 2) {
        assertThat(op.get(6).asInt()).as("the stale read is marked impossible").isEqualTo(2);
      }
    }
    assertThat(flagged).containsExactlyInAnyOrderElementsOf(verdict.highlighted());
    for (int id : List.of(0, 1)) {
      assertThat(html).containsPattern("<tr class=\"(conflict|context)\" data-op=\"" + id + "\">");
    }
  }

  @Test
  void faultBandsArePlacedAtTheirStartAndStopTimes() throws Exception {
    Path dir = staleReadRun().fault("start", "kill", List.of("n3"), 30, null).writeTo(tmp);
    RunDirectory run = RunDirectory.read(dir);
    String html = Files.readString(RunReport.write(dir).report());
    JsonNode faults = runData(html).get("faults");
    assertThat(faults).hasSize(2);
    assertThat(faults.get(0).get("label").asText()).isEqualTo("partition n1");
    assertThat(faults.get(0).get("start").asDouble()).isEqualTo(0.015);
    assertThat(faults.get(0).get("end").asDouble()).isEqualTo(0.045);
    assertThat(faults.get(1).get("label").asText()).isEqualTo("kill n3");
    assertThat(faults.get(1).get("start").asDouble()).isEqualTo(0.030);
    assertThat(faults.get(1).get("open").asBoolean()).isTrue();
    assertThat(faults.get(1).get("end").asDouble()).isEqualTo(0.050); // the run's last event

    // The same bands in both plots: full-height areas from start to stop.
    RunCharts charts = new RunCharts(run, new FaultPalette(run.faults()));
    for (XYChart chart : List.of(charts.latencyChart(), charts.throughputChart())) {
      XYSeries partition = chart.getSeriesMap().get("fault: partition");
      assertThat(partition).as(chart.getTitle()).isNotNull();
      assertThat(partition.getXData()).containsExactly(0.015, 0.045);
      assertThat(partition.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.Area);
      assertThat(chart.getSeriesMap().get("fault: kill").getXData()).containsExactly(0.030, 0.050);
    }
  }

  @Test
  void infoAndNeverCompletedOperationsAreCountedAsUnknown() throws Exception {
    Path dir = new RunFixture().write(0, "k1", 1, 0, 10, "ok").write(1, "k1", 2, 5, 20, "info")
        .read(0, "k1", 2, 30, 40, "ok").invokeOnly(2, "write", "k1", 3, 45).writeTo(tmp);
    RunReport.Outcome outcome = RunReport.write(dir);
    assertThat(outcome.verdict().kind()).isEqualTo(RunVerdict.Kind.LINEARIZABLE);
    String html = Files.readString(outcome.report());
    assertThat(html).contains("2 ok").contains("2 info (unknown)").contains("(1 never completed)");
    JsonNode ops = runData(html).get("ops");
    assertThat(ops.get(1).get(3).asInt()).isEqualTo(TimelineModel.INFO);
    assertThat(ops.get(3).get(3).asInt()).isEqualTo(TimelineModel.NEVER_COMPLETED);
    assertThat(ops.get(3).get(2).asDouble()).as("never-completed bar runs to the end").isEqualTo(0.045);
  }

  @Test
  void modelThatCannotInterpretTheHistoryIsNamed() throws Exception {
    Path dir = new RunFixture().write(0, "", 1, 0, 10, "ok").cas(1, "", 1, 2, 20, 30, "ok").writeTo(tmp);
    assertThatThrownBy(() -> RunReport.write(dir, new ReportOptions(Duration.ofSeconds(5), "register")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--model register");
    assertThat(RunReport.write(dir, new ReportOptions(Duration.ofSeconds(5), "cas-register")).verdict().kind())
        .isEqualTo(RunVerdict.Kind.LINEARIZABLE);
  }

  @Test
  void optionsRejectUnknownModelAndNonPositiveTimeout() {
    assertThatThrownBy(() -> new ReportOptions(Duration.ofSeconds(1), "queue"))
        .hasMessageContaining("'queue'").hasMessageContaining("kv, register, cas-register");
    assertThatThrownBy(() -> new ReportOptions(Duration.ZERO, "kv")).hasMessageContaining("positive");
  }

  @Test
  void rewritingAReportReplacesIt() throws Exception {
    Path dir = staleReadRun().writeTo(tmp);
    Files.writeString(dir.resolve("report.html"), "old");
    RunReport.write(dir);
    assertThat(Files.readString(dir.resolve("report.html"))).startsWith("<!DOCTYPE html>");
    assertThat(dir.resolve("report.html.partial")).doesNotExist();
  }

  @Test
  void bigHistoryIsDrawnAsBinsAndPackedLanesWithinTheElementLimits() throws Exception {
    Path dir = RunFixture.bigRun(100_000).writeTo(tmp);
    long started = System.nanoTime();
    RunReport.Outcome outcome = RunReport.write(dir, new ReportOptions(Duration.ofSeconds(60), "kv"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(outcome.operations()).isEqualTo(100_000);
    assertThat(outcome.verdict().kind()).isEqualTo(RunVerdict.Kind.LINEARIZABLE);
    String html = Files.readString(outcome.report());
    JsonNode data = runData(html);
    assertThat(data.get("mode").asText()).isEqualTo("bins");
    assertThat(data.get("ops")).isEmpty(); // nothing singled out, so no individual bars
    assertThat(data.get("bins").get("cells").size()).isBetween(1, TimelineModel.MAX_CELLS);
    assertThat(data.get("lanes").size()).isBetween(20, TimelineModel.MAX_LANES);
    assertThat(data.get("packed").asBoolean()).isTrue();
    assertThat(html).contains("id=\"sampling-note\"").contains("id=\"packing-note\"");
    assertThat(html.length()).as("report size").isLessThan(3_000_000);
    System.out.printf("100k-op report: %d ms, %d bytes, %d bins, %d lanes, check %d ms%n", millis, html.length(),
        data.get("bins").get("cells").size(), data.get("lanes").size(), outcome.verdict().elapsed().toMillis());
  }

  @Test
  void unknownVerdictIsShownAsUnknownWithItsReason() throws Exception {
    Path dir = staleReadRun().writeTo(tmp);
    RunDirectory run = RunDirectory.read(dir);
    RunVerdict unknown = new RunVerdict(RunVerdict.Kind.UNKNOWN, "kv", "No answer within the 1 s budget: time.",
        List.of(), -1, List.of(), null, Duration.ofSeconds(1));
    String html = ReportHtml.render(run, unknown, new byte[] {1}, new byte[] {2}, 0.01);
    assertThat(html).contains("<span class=\"verdict UNKNOWN\" id=\"verdict-text\">unknown</span>")
        .contains("No answer within the 1 s budget: time.").doesNotContain("id=\"conflicts\"");
    assertThat(runData(html).get("ops")).allSatisfy(op -> assertThat(op.get(6).asInt()).isZero());
  }
}
