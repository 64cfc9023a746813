package io.raftlab.cli;

import io.raftlab.checker.bench.CheckerBenchmark;
import io.raftlab.checker.diff.DifferentialAnalysis;
import io.raftlab.checker.history.History;
import io.raftlab.checker.linearizability.CheckResult;
import io.raftlab.checker.linearizability.LinearizabilityChecker;
import io.raftlab.checker.model.Model;
import io.raftlab.checker.parse.HistoryFormat;
import io.raftlab.checker.parse.HistoryParseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftlab check}: linearizability of a history file, or the differential table of several.
 * Exit codes: 0 linearizable / no difference, 1 not linearizable / true differences, 2 unknown
 * (budget ran out) or bad input.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that a history is linearizable (exit 0 yes, 1 no, 2 unknown or bad input).",
      "With --diff, compares histories of one plan and lists operations whose results truly differ (exit 0 none, 1 some).",
      "Formats: raftlab JSON Lines, Jepsen text logs, Knossos/Jepsen EDN."
    })
public final class CheckCommand implements Callable<Integer> {
  static final int LINEARIZABLE = 0;
  static final int NOT_LINEARIZABLE = 1;
  static final int UNKNOWN_OR_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "History file (two or more with --diff).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--model", paramLabel = "MODEL",
      description = "register, cas-register or kv. Default: kv when the history names keys, else cas-register.")
  String model;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Time budget, e.g. 500ms, 30s, 2m (default ${DEFAULT-VALUE}). When it runs out the verdict is UNKNOWN.")
  Duration timeout;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "auto, jsonl, jepsen or edn (default ${DEFAULT-VALUE}).")
  HistoryFormat format;

  @Option(names = "--diff", description = "Compare the histories instead of checking one.")
  boolean diff;

  @Option(names = "--bench", description = "Run the checker benchmark on generated histories (no FILE).")
  boolean bench;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (bench) {
      CheckerBenchmark.run(out, timeout);
      out.flush();
      return 0;
    }
    try {
      if (diff) {
        return compare(out, err);
      }
      if (files.size() != 1) {
        err.println("raftlab check: expected exactly 1 FILE, got " + files.size() + " (use --diff to compare several)");
        return UNKNOWN_OR_BAD_INPUT;
      }
      History history = read(files.get(0));
      Model<?> chosen = chooseModel(history);
      CheckResult result = LinearizabilityChecker.check(history, chosen, timeout);
      out.print(result.render());
      out.flush();
      return switch (result.verdict()) {
        case LINEARIZABLE -> LINEARIZABLE;
        case NOT_LINEARIZABLE -> NOT_LINEARIZABLE;
        case UNKNOWN -> UNKNOWN_OR_BAD_INPUT;
      };
    } catch (HistoryParseException e) {
      err.println("raftlab check: cannot parse " + e.getMessage());
      return UNKNOWN_OR_BAD_INPUT;
    } catch (IOException e) {
      err.println("raftlab check: cannot read " + e.getMessage());
      return UNKNOWN_OR_BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("raftlab check: " + e.getMessage());
      return UNKNOWN_OR_BAD_INPUT;
    }
  }

  private int compare(PrintWriter out, PrintWriter err) throws IOException, HistoryParseException {
    if (files.size() < 2) {
      err.println("raftlab check --diff: expected at least 2 FILEs, got " + files.size());
      return UNKNOWN_OR_BAD_INPUT;
    }
    List<History> histories = new ArrayList<>();
    for (Path f : files) {
      histories.add(read(f));
    }
    DifferentialAnalysis.Report report = DifferentialAnalysis.compare(histories);
    out.print(report.renderTable());
    out.flush();
    return report.hasDifferences() ? NOT_LINEARIZABLE : LINEARIZABLE;
  }

  private History read(Path file) throws IOException, HistoryParseException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    return format.read(file);
  }

  private Model<?> chooseModel(History history) {
    if (model != null) {
      return Model.byName(model);
    }
    return Model.byName(history.hasKeys() ? "kv" : "cas-register");
  }

  /** --timeout through {@link DurationOption}: 1 ms to 24 h. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DurationOption.parse(value, "--timeout", Duration.ofMillis(1), Duration.ofHours(24));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
