package io.raftlab.chaos.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftlab.checker.history.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the single self-contained report page: styles, script, data and images are all inline, so
 * the file can be mailed or opened from disk with no network.
 */
final class ReportHtml {
  private ReportHtml() {}

  static String render(RunDirectory run, RunVerdict verdict, byte[] latencyPng, byte[] throughputPng,
      double binSeconds) throws IOException {
    FaultPalette palette = new FaultPalette(run.faults());
    Map<String, Object> timeline = TimelineModel.build(run, verdict, palette);
    @SuppressWarnings("unchecked")
    Map<String, Integer> counts = (Map<String, Integer>) timeline.get("counts");
    StringBuilder h = new StringBuilder(1 << 16);
    String name = run.dir().toAbsolutePath().normalize().getFileName() == null ? run.dir().toString()
        : run.dir().toAbsolutePath().normalize().getFileName().toString();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>raftlab run ").append(esc(name)).append(": ").append(esc(verdict.headline())).append("</title>\n")
        // Recorded first so that errors in the drawing script below still reach the page.
        .append("<script>window.onerror=function(m,s,l,c){var u=document.getElementById('script-errors');")
        .append("var li=document.createElement('li');li.textContent=m+' (line '+l+':'+c+')';u.appendChild(li);")
        .append("document.body.dataset.scriptErrors=u.children.length;};</script>\n")
        .append("<style>\n").append(resource("report.css")).append("</style>\n</head>\n")
        .append("<body data-script-errors=\"0\">\n<ul id=\"script-errors\"></ul>\n");

    h.append("<h1>raftlab run report: ").append(esc(name)).append("</h1>\n<p class=\"sub\">")
        .append(esc(run.dir().toAbsolutePath().normalize().toString())).append(" · ")
        .append(String.format(Locale.ROOT, "%.3f s", run.seconds(run.endNanos()))).append(" · ")
        .append(run.history().size()).append(" operations by ")
        .append(run.history().operations().stream().map(Operation::process).distinct().count())
        .append(" processes · ").append(run.faults().size()).append(" faults</p>\n");

    // Verdict.
    h.append("<section id=\"verdict\"><div class=\"summary\"><span class=\"verdict ").append(verdict.kind().name())
        .append("\" id=\"verdict-text\">").append(esc(verdict.headline())).append("</span><span class=\"counts\">")
        .append(count("ok", counts.get("ok"), "#2ca02c"))
        .append(count("fail", counts.get("fail"), "#d62728"))
        .append(count("info (unknown)", counts.get("info") + counts.get("neverCompleted"), "#9e9e9e"));
    if (counts.get("neverCompleted") > 0) {
      h.append("<span>(").append(counts.get("neverCompleted")).append(" never completed)</span>");
    }
    h.append("</span></div>\n<p>Checked against model <code>").append(esc(verdict.model())).append("</code> in ")
        .append(verdict.elapsed().toMillis()).append(" ms. ").append(esc(verdict.explanation())).append("</p>\n");
    if (!verdict.highlighted().isEmpty()) {
      h.append("<h2>Operations that cannot be ordered")
          .append(verdict.key() == null ? "" : verdict.key().isEmpty() ? " (single register)" : " on key "
              + esc(verdict.key()))
          .append("</h2>\n<table id=\"conflicts\"><tr><th>op</th><th>process</th><th>operation</th><th>invoked</th>")
          .append("<th>completed</th><th>node</th><th>history line</th><th></th></tr>\n");
      java.util.TreeSet<Integer> rows = new java.util.TreeSet<>(verdict.highlighted());
      rows.addAll(verdict.contextIds());
      for (int id : rows) {
        Operation op = run.history().get(id);
        boolean impossible = id == verdict.impossibleId();
        boolean context = !verdict.highlighted().contains(id);
        h.append("<tr class=\"").append(impossible ? "impossible" : context ? "context" : "conflict")
            .append("\" data-op=\"").append(id)
            .append("\"><td class=\"num\">#").append(id).append(impossible ? " ✖" : "").append("</td><td>p")
            .append(op.process()).append("</td><td><code>").append(esc(op.describe())).append("</code>")
            .append(impossible ? " <b>(impossible)</b>" : context ? " <i>(context: before the conflict)</i>" : "")
            .append("</td><td class=\"num\">")
            .append(String.format(Locale.ROOT, "%.6f s", run.seconds(op.invokeNanos()))).append("</td><td class=\"num\">")
            .append(op.completeNanos() == Long.MAX_VALUE ? "never"
                : String.format(Locale.ROOT, "%.6f s", run.seconds(op.completeNanos())))
            .append("</td><td>").append(op.node() == null ? "" : esc(op.node())).append("</td><td class=\"num\">")
            .append(op.line() > 0 ? String.valueOf(op.line()) : "").append("</td><td><a href=\"#timeline-section\" ")
            .append(String.format(Locale.ROOT, "data-zoom-from=\"%.9f\" data-zoom-to=\"%.9f\"",
                run.seconds(op.invokeNanos()), run.seconds(op.completeNanos())))
            .append(">show in timeline</a></td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("</section>\n");

    if (run.results() != null) {
      h.append("<h2>Run summary (results.json)</h2>\n<table id=\"results\">\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = run.results().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>")
            .append(esc(v.isTextual() ? v.textValue() : v.toString())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }

    // Timeline.
    h.append("<section id=\"timeline-section\"><h2>Timeline of client operations</h2>\n<p class=\"note\">")
        .append(legend(palette))
        .append("<br>One lane per client process; a bar runs from invocation to completion. Info (unknown) bars are ")
        .append("hatched and end at the info event; an operation that never completed runs to the end. Shaded bands ")
        .append("are faults. Hover a bar for the operation; drag across the timeline to zoom, double-click or ")
        .append("<button id=\"zoom-reset\" type=\"button\">reset zoom</button>. <span id=\"view-range\"></span></p>\n");
    if ("bins".equals(timeline.get("mode"))) {
      h.append("<p class=\"note\" id=\"sampling-note\"><b>Large history:</b> ").append(run.history().size())
          .append(" operations exceed the limit of ").append(TimelineModel.MAX_OP_BARS)
          .append(" individual bars, so each lane is drawn as time bins (darker = more operations; red = some ")
          .append("failed; grey = some unknown). Operations the checker singles out are still drawn one by one.</p>\n");
    }
    if (Boolean.TRUE.equals(timeline.get("packed"))) {
      h.append("<p class=\"note\" id=\"packing-note\">")
          .append("More than ").append(TimelineModel.MAX_LANES)
          .append(" processes: processes whose lifetimes do not overlap share a lane (hover a lane label to see ")
          .append("which).</p>\n");
    }
    h.append("<div id=\"timeline\" class=\"timeline-box\"></div>\n<div id=\"hover\" class=\"hover\">")
        .append("hover an operation to see it here</div>\n</section>\n");

    if (!run.roles().isEmpty()) {
      h.append("<section id=\"nodes-section\"><h2>Node roles and terms (states.jsonl)</h2>\n<p class=\"note\">")
          .append(roleLegend()).append(" · the number in a segment is the term.</p>\n")
          .append("<div id=\"nodes\" class=\"timeline-box\"></div>\n</section>\n");
    }

    h.append("<section id=\"plots\"><h2>Latency and throughput</h2>\n<p class=\"note\">Shaded bands are faults, ")
        .append("in the same colours as the timeline. Percentile lines and throughput use ")
        .append(esc(RunCharts.formatSeconds(binSeconds))).append(" bins.</p>\n")
        .append(image("latency-plot", "latency over time", latencyPng))
        .append(image("throughput-plot", "throughput over time", throughputPng)).append("</section>\n");

    if (!run.faults().isEmpty()) {
      h.append("<section id=\"faults-section\"><h2>Faults (nemesis.jsonl)</h2>\n<table id=\"faults\">")
          .append("<tr><th>fault</th><th>nodes</th><th>start</th><th>stop</th><th>detail</th></tr>\n");
      for (FaultInterval f : run.faults()) {
        h.append("<tr><td><span class=\"swatch\" style=\"background:").append(palette.hex(f.fault())).append("\"></span>")
            .append(esc(f.fault())).append("</td><td>").append(esc(String.join(", ", f.nodes())))
            .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.3f s", run.seconds(f.startNanos())))
            .append("</td><td class=\"num\">").append(f.openEnded() ? "never (lasts to the end)"
                : String.format(Locale.ROOT, "%.3f s", run.seconds(f.endNanos())))
            .append("</td><td>").append(esc(f.detail())).append("</td></tr>\n");
      }
      h.append("</table>\n</section>\n");
    }

    for (Map.Entry<String, String> text : run.texts().entrySet()) {
      h.append("<details class=\"plan\"><summary>").append(esc(text.getKey())).append("</summary><pre>")
          .append(esc(text.getValue())).append("</pre></details>\n");
    }

    h.append("<script type=\"application/json\" id=\"run-data\">").append(scriptSafeJson(timeline)).append("</script>\n")
        .append("<script>\n").append(resource("report.js")).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String count(String label, int n, String color) {
    return "<span><span class=\"swatch\" style=\"background:" + color + "\"></span>" + n + " " + label + "</span>";
  }

  private static String legend(FaultPalette palette) {
    StringBuilder b = new StringBuilder();
    b.append(swatch("#2ca02c")).append("ok ").append(swatch("#d62728")).append("fail ")
        .append("<span class=\"swatch\" style=\"background:repeating-linear-gradient(45deg,#9e9e9e 0 3px,#ececec 3px 6px)\">")
        .append("</span>info (unknown) ")
        .append("<span class=\"swatch\" style=\"border:2px solid #e00000\"></span>cannot be ordered (✖ = impossible op) ")
        .append("<span class=\"swatch\" style=\"border:2px dashed #ff8c00\"></span>context");
    for (var e : palette.all().entrySet()) {
      b.append(" · ").append(swatch(palette.hex(e.getKey()))).append("fault: ").append(esc(e.getKey()));
    }
    return b.toString();
  }

  private static String roleLegend() {
    return swatch("#1f5fa8") + "leader " + swatch("#b9d3ee") + "follower " + swatch("#ff9f40") + "candidate "
        + swatch("#ffd8a8") + "pre-candidate "
        + "<span class=\"swatch\" style=\"background:repeating-linear-gradient(45deg,#444 0 3px,#cfcfcf 3px 6px)\">"
        + "</span>down";
  }

  private static String swatch(String color) {
    return "<span class=\"swatch\" style=\"background:" + color + "\"></span>";
  }

  private static String image(String id, String alt, byte[] png) {
    return "<img class=\"plot\" id=\"" + id + "\" alt=\"" + alt + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png) + "\">\n";
  }

  /** JSON that cannot end its script element early: every '<' becomes a JSON escape. */
  static String scriptSafeJson(Object value) throws JsonProcessingException {
    return JsonLinesFile.JSON.writeValueAsString(value).replace("<", "\\u003c")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ReportHtml.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("report resource " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
