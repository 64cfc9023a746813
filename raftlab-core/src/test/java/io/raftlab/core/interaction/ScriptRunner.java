package io.raftlab.core.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a script on a fresh {@link ScriptedCluster} and compares each command's output with what
 * the file expects. Every command runs even after a mismatch, so one run shows all differences
 * (and so a rewrite can record the whole file).
 */
final class ScriptRunner {

  /** Show at most this many differing commands in one failure message. */
  private static final int MAX_REPORTED = 5;

  record Result(InteractionScript script, List<List<String>> actual, List<String> mismatches) {

    boolean passed() {
      return mismatches.isEmpty();
    }

    /** A readable failure report: file, line and command of each difference, expected vs actual. */
    String report() {
      StringBuilder sb = new StringBuilder();
      sb.append(script.file()).append(": ").append(mismatches.size()).append(" command(s) printed something else than expected\n");
      for (int i = 0; i < Math.min(MAX_REPORTED, mismatches.size()); i++) {
        sb.append('\n').append(mismatches.get(i));
      }
      if (mismatches.size() > MAX_REPORTED) {
        sb.append("\n... and ").append(mismatches.size() - MAX_REPORTED).append(" more\n");
      }
      sb.append("\nIf the new behaviour is intended, regenerate the expected output with -Drewrite=true and review the diff.");
      return sb.toString();
    }
  }

  static Result run(InteractionScript script) {
    ScriptedCluster cluster = new ScriptedCluster();
    List<List<String>> actual = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (InteractionScript.Step step : script.steps()) {
      List<String> out = new ArrayList<>();
      for (String line : cluster.run(step.command())) {
        out.add(line.stripTrailing());
      }
      actual.add(out);
      if (!out.equals(step.expected())) {
        mismatches.add(describe(step, out));
      }
    }
    return new Result(script, actual, mismatches);
  }

  private static String describe(InteractionScript.Step step, List<String> actual) {
    ScriptCommand c = step.command();
    StringBuilder sb = new StringBuilder();
    sb.append(c.file()).append(':').append(c.line()).append(": > ").append(c.text()).append('\n');
    for (String line : LineDiff.diff(step.expected(), actual)) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }
}
