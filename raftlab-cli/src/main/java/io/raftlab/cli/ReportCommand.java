package io.raftlab.cli;

import io.raftlab.chaos.report.BadRunDirectoryException;
import io.raftlab.chaos.report.ReportOptions;
import io.raftlab.chaos.report.RunReport;
import io.raftlab.chaos.report.RunVerdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftlab report RUN_DIR}: writes RUN_DIR/report.html and prints its path and verdict. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes RUN_DIR/report.html, one self-contained page: linearizability verdict, timeline of client "
          + "operations with fault bands, latency and throughput plots, node roles and terms.",
      "RUN_DIR holds history.jsonl (required) and optionally nemesis.jsonl, states.jsonl, results.json, "
          + "plan.txt and script.txt (layout: RunDirectory's Javadoc).",
      "Exit codes: 0 report written (whatever the verdict), 2 bad run directory or option, 1 other failure."
    })
public final class ReportCommand implements Callable<Integer> {
  static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory.")
  Path runDir;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Budget of the linearizability check, e.g. 500ms, 30s, 5m (1ms to 24h; default ${DEFAULT-VALUE}). "
          + "When it runs out the verdict is unknown.")
  String timeout;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "kv",
      description = "Model to check against: kv, register or cas-register (default ${DEFAULT-VALUE}).")
  String model;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReportOptions options;
    try {
      options = new ReportOptions(parseTimeout(timeout), model);
    } catch (IllegalArgumentException e) {
      err.println("raftlab report: " + e.getMessage());
      return 2;
    }
    try {
      RunReport.Outcome outcome = RunReport.write(runDir, options);
      RunVerdict v = outcome.verdict();
      out.println("report: " + outcome.report().toAbsolutePath().normalize());
      out.println("verdict: " + v.headline() + " (model " + v.model() + ", " + outcome.operations() + " operations, "
          + v.elapsed().toMillis() + " ms)");
      if (v.kind() != RunVerdict.Kind.LINEARIZABLE) {
        out.println("why: " + v.explanation());
      }
      return 0;
    } catch (BadRunDirectoryException e) {
      err.println("raftlab report: bad run directory: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("raftlab report: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("raftlab report: cannot write " + runDir.resolve("report.html") + ": " + e.getMessage());
      return 1;
    }
  }

  /** "500ms", "30s", "5m", "1h", or ISO-8601 ("PT30S"); between 1 ms and 24 h. */
  static Duration parseTimeout(String text) {
    return DurationOption.parse(text, "--timeout", Duration.ofMillis(1), MAX_TIMEOUT);
  }
}
