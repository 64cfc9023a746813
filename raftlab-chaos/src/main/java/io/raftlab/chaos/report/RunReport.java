package io.raftlab.chaos.report;

import io.raftlab.checker.history.Operation;
import io.raftlab.checker.linearizability.CheckResult;
import io.raftlab.checker.linearizability.LinearizabilityChecker;
import io.raftlab.checker.linearizability.Violation;
import io.raftlab.checker.model.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code report.html} for a run directory (see {@link RunDirectory} for its layout): reads
 * the run, checks the history for linearizability, draws the plots and writes one self-contained
 * page. Runs call {@link #write(Path, ReportOptions)} at their end; {@code raftlab report} calls it
 * from the command line.
 */
public final class RunReport {
  /** How many operations of the checker's longest legal prefix are shown next to a violation. */
  static final int CONTEXT_OPS = 4;

  private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

  private RunReport() {}

  /**
   * What was written.
   *
   * @param report the report.html path
   * @param verdict the linearizability verdict shown in it
   * @param operations how many client operations the history holds
   */
  public record Outcome(Path report, RunVerdict verdict, int operations) {}

  /** {@link #write(Path, ReportOptions)} with a 30 s check and the kv model. */
  public static Outcome write(Path runDir) throws BadRunDirectoryException, IOException {
    return write(runDir, ReportOptions.defaults());
  }

  /**
   * Reads {@code runDir}, checks it and writes {@code runDir/report.html}.
   *
   * @throws BadRunDirectoryException when a required file is missing or a line is malformed (the
   *     message names the file and line)
   * @throws IllegalArgumentException when the chosen model cannot interpret the history (e.g. a
   *     cas checked with the plain register model)
   */
  public static Outcome write(Path runDir, ReportOptions options) throws BadRunDirectoryException, IOException {
    long t0 = System.nanoTime();
    RunDirectory run = RunDirectory.read(runDir);
    long t1 = System.nanoTime();
    RunVerdict verdict = check(run, options);
    long t2 = System.nanoTime();
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, also on desktops
    }
    RunCharts charts = new RunCharts(run, new FaultPalette(run.faults()));
    byte[] latency = charts.latencyPng();
    long t3 = System.nanoTime();
    byte[] throughput = charts.throughputPng();
    long t4 = System.nanoTime();
    String html = ReportHtml.render(run, verdict, latency, throughput, charts.binSeconds());
    long t5 = System.nanoTime();
    LOG.debug("report of {} ({} ops): read {} ms, check {} ms, latency plot {} ms, throughput plot {} ms, html {} ms",
        runDir, run.history().size(), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
    Path report = runDir.resolve(RunDirectory.REPORT);
    Path partial = runDir.resolve(RunDirectory.REPORT + ".partial");
    // Written aside and moved, so that a reader never opens half a report.
    try {
      Files.writeString(partial, html, StandardCharsets.UTF_8);
      Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return new Outcome(report, verdict, run.history().size());
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  static RunVerdict check(RunDirectory run, ReportOptions options) {
    Model<?> model = Model.byName(options.model());
    CheckResult result;
    try {
      result = LinearizabilityChecker.check(run.history(), model, options.checkTimeout());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--model " + options.model() + " cannot check "
          + run.dir().resolve(RunDirectory.HISTORY) + ": " + e.getMessage() + " (allowed models: "
          + String.join(", ", ReportOptions.MODELS) + ")", e);
    }
    Duration elapsed = result.elapsed();
    return switch (result.verdict()) {
      case LINEARIZABLE -> new RunVerdict(RunVerdict.Kind.LINEARIZABLE, result.model(),
          "Every key's operations have a legal sequential order (" + result.perKey().size()
              + (result.perKey().size() == 1 ? " key" : " keys") + " checked).",
          List.of(), -1, List.of(), null, elapsed);
      case UNKNOWN -> new RunVerdict(RunVerdict.Kind.UNKNOWN, result.model(),
          "No answer within the " + options.checkTimeout().toSeconds() + " s budget"
              + (result.reason().isEmpty() ? "" : ": " + result.reason()) + ". Nothing is claimed.",
          List.of(), -1, List.of(), null, elapsed);
      case NOT_LINEARIZABLE -> violationVerdict(result, elapsed);
    };
  }

  private static RunVerdict violationVerdict(CheckResult result, Duration elapsed) {
    Violation v = result.violation();
    if (v == null) {
      return new RunVerdict(RunVerdict.Kind.NOT_LINEARIZABLE, result.model(),
          "The checker found no legal order but named no operations.", List.of(), -1, List.of(), null, elapsed);
    }
    List<Integer> ids = v.operations().stream().map(Operation::id).toList();
    int impossible = v.impossibleOperation() == null ? -1 : v.impossibleOperation().id();
    String explanation = "No legal order exists" + (v.key().isEmpty() ? "" : " for key " + v.key()) + ": "
        + v.explanation() + ". "
        + (v.minimal() ? "The " + ids.size() + " operations below are a minimal set that cannot be ordered."
            : "The " + ids.size() + " operations below cannot be ordered (not shrunk to a minimal set: budget ran out).");
    // The checker's minimal set can be a lone read (its value is impossible from the initial state
    // once the writes are dropped), so the end of the legal prefix is shown too, as context.
    List<Integer> context = new ArrayList<>();
    List<Operation> prefix = v.linearizablePrefix();
    for (int i = prefix.size() - 1; i >= 0 && context.size() < CONTEXT_OPS; i--) {
      int id = prefix.get(i).id();
      if (!ids.contains(id) && id != impossible) {
        context.add(0, id);
      }
    }
    if (!context.isEmpty()) {
      explanation += " The last " + context.size() + " operations of the longest legal order the checker found "
          + "(state after it: " + v.stateAfterPrefix() + ") are shown as context.";
    }
    return new RunVerdict(RunVerdict.Kind.NOT_LINEARIZABLE, result.model(), explanation, ids, impossible, context,
        v.key(), elapsed);
  }
}
