package io.raftlab.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens generated reports in headless Chromium and checks what the page's script drew. */
class ReportInBrowserTest {
  @TempDir Path tmp;

  static String bodyAttribute(String dom, String name) {
    Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
    assertThat(body.find()).as("dumped DOM has a body").isTrue();
    Matcher attr = Pattern.compile(" data-" + name + "=\"([^\"]*)\"").matcher(body.group(1));
    return attr.find() ? attr.group(1) : null;
  }

  static List<String> elements(String dom, String cssClass) {
    Matcher m = Pattern.compile("<rect [^>]*class=\"[^\"]*\\b" + cssClass + "\\b[^\"]*\"[^>]*>").matcher(dom);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static double attr(String element, String name) {
    Matcher m = Pattern.compile(" " + name + "=\"([-0-9.e]+)\"").matcher(element);
    assertThat(m.find()).as(name + " of " + element).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void violationReportRendersTimelineBandsHighlightsAndPlotsWithoutScriptErrors() throws Exception {
    Path dir = RunReportTest.staleReadRun()
        .state("n1", "LEADER", 1, 3, 0).state("n2", "FOLLOWER", 1, 3, 0).state("n1", "FOLLOWER", 2, 4, 20)
        .state("n2", "LEADER", 2, 5, 25)
        .writeTo(tmp.resolve("run"));
    RunReport.Outcome outcome = RunReport.write(dir);
    String dom = HeadlessChromium.dumpDom(outcome.report());

    assertThat(bodyAttribute(dom, "rendered")).as("page script finished").isEqualTo("ok");
    assertThat(bodyAttribute(dom, "script-errors")).as("script errors: " + dom.replaceAll("(?s).*<ul id=\"script-errors\">(.*?)</ul>.*", "$1"))
        .isEqualTo("0");
    assertThat(bodyAttribute(dom, "op-bars")).isEqualTo("5");
    assertThat(elements(dom, "op-bar")).hasSize(5);
    assertThat(bodyAttribute(dom, "plots")).as("both plot images decoded").isEqualTo("2");
    assertThat(bodyAttribute(dom, "role-segments")).isEqualTo("4");
    assertThat(elements(dom, "role-segment")).hasSize(4);

    // The stale read (op 2) is outlined and marked impossible.
    List<String> impossible = elements(dom, "impossible");
    assertThat(impossible).singleElement().satisfies(e -> {
      assertThat(e).contains("data-op=\"2\"").contains("stroke=\"#e00000\"");
    });
    assertThat(bodyAttribute(dom, "highlighted")).isEqualTo(String.valueOf(outcome.verdict().highlighted().size()));
    assertThat(elements(dom, "conflict")).hasSize(outcome.verdict().highlighted().size());
    assertThat(elements(dom, "context")).hasSize(outcome.verdict().contextIds().size());
    // The two writes before the stale read are outlined too (in the checker's set or as context).
    List<String> outlined = new ArrayList<>(elements(dom, "conflict"));
    outlined.addAll(elements(dom, "context"));
    assertThat(outlined).anySatisfy(e -> assertThat(e).contains("data-op=\"0\""))
        .anySatisfy(e -> assertThat(e).contains("data-op=\"1\""));

    // The partition band spans 15 ms to 45 ms of a 50 ms run, in the timeline and the node lanes.
    List<String> bands = elements(dom, "fault-band");
    assertThat(bands).hasSize(2);
    Matcher svgWidth = Pattern.compile("<svg [^>]*width=\"([0-9.]+)\"[^>]*class=\"timeline\"").matcher(dom);
    assertThat(svgWidth.find()).isTrue();
    double plotWidth = Double.parseDouble(svgWidth.group(1)) - 120 - 16; // label column and right margin
    for (String band : bands) {
      assertThat((attr(band, "x") - 120) / plotWidth).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.005));
      assertThat(attr(band, "width") / plotWidth).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.005));
    }
    assertThat(dom).contains("class=\"fault-label\">partition n1<");

    Path png = Path.of("target", "report-violation-screenshot.png");
    Files.createDirectories(png.getParent());
    HeadlessChromium.screenshot(outcome.report(), png, 1400, 1600);
    assertThat(Files.size(png)).isGreaterThan(50_000);
  }

  @Test
  void bigHistoryRendersAsBinsWithoutScriptErrors() throws Exception {
    int ops = TimelineModel.MAX_OP_BARS + 10_000;
    Path dir = RunFixture.bigRun(ops).writeTo(tmp.resolve("big"));
    Path report = RunReport.write(dir).report();
    JsonNode data = RunReportTest.runData(Files.readString(report));
    String dom = HeadlessChromium.dumpDom(report);
    assertThat(bodyAttribute(dom, "rendered")).isEqualTo("ok");
    assertThat(bodyAttribute(dom, "script-errors")).isEqualTo("0");
    assertThat(bodyAttribute(dom, "op-bars")).isEqualTo("0");
    assertThat(Integer.parseInt(bodyAttribute(dom, "bin-bars")))
        .isEqualTo(data.get("bins").get("cells").size()).isLessThanOrEqualTo(TimelineModel.MAX_CELLS);
    assertThat(elements(dom, "bin-bar")).hasSize(data.get("bins").get("cells").size());
    assertThat(bodyAttribute(dom, "lanes")).isEqualTo(String.valueOf(data.get("lanes").size()));
    assertThat(bodyAttribute(dom, "plots")).isEqualTo("2");
    Path png = Path.of("target", "report-big-screenshot.png");
    HeadlessChromium.screenshot(report, png, 1400, 1400);
  }

  @Test
  void screenshotOfLinearizableRunShowsTheReport() throws Exception {
    Path dir = RunFixture.linearizableRun().writeTo(tmp.resolve("run"));
    RunFixture.writeExtras(dir);
    Path report = RunReport.write(dir).report();
    Path png = Path.of("target", "report-screenshot.png");
    Files.createDirectories(png.getParent());
    HeadlessChromium.screenshot(report, png, 1400, 2000);
    // A blank or failed render is a small, nearly uniform PNG; a drawn report is not.
    assertThat(Files.size(png)).isGreaterThan(50_000);
    String dom = HeadlessChromium.dumpDom(report);
    assertThat(bodyAttribute(dom, "rendered")).isEqualTo("ok");
    assertThat(bodyAttribute(dom, "script-errors")).isEqualTo("0");
    assertThat(bodyAttribute(dom, "op-bars")).isEqualTo("120");
    assertThat(bodyAttribute(dom, "fault-bands")).isEqualTo("4"); // 2 faults, in clients and node lanes
  }
}
