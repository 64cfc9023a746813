package io.raftlab.checker.diff;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.history.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares histories of the same plan: repeated trials, or one plan run on different
 * implementations, and lists the operations whose results truly differ.
 *
 * <p><b>Matching.</b> An operation's position in the plan is (process, n) where n counts that
 * process's operations in invocation order from 0. Operations at the same position in two
 * histories are the same planned operation. (A Jepsen client that crashes continues under a new
 * process id, so its later operations match by the new id; a position missing from a history,
 * e.g. because the trial stopped earlier, gives no evidence.)
 *
 * <p><b>Disagreement.</b> Two results disagree only if no single outcome explains both. An INFO
 * (unknown) or missing result is explained by any outcome, so it never disagrees. OK and FAIL
 * disagree (for any function: a write that took effect versus one that did not). Two OK reads
 * disagree when they returned different values. Two results at one position whose operations
 * differ (function, key or input values) disagree too: the histories do not follow one plan.
 */
public final class DifferentialAnalysis {

  /** A planned operation's position: the process and its sequence number within that process. */
  public record Position(int process, int sequence) {
    @Override
    public String toString() {
      return "p" + process + "#" + sequence;
    }
  }

  /**
   * One position where the histories disagree.
   *
   * @param position the plan position
   * @param operation the planned operation, e.g. "write(k1, 3)"
   * @param operations the operation in each history (same order as the labels), null where missing
   * @param results each history's result, e.g. "ok", "fail", "info", "ok = 3", "-" (missing)
   * @param reason why they disagree
   */
  public record Difference(Position position, String operation, List<Operation> operations, List<String> results, String reason) {}

  /**
   * The comparison.
   *
   * @param labels names of the compared histories
   * @param positionsCompared how many plan positions occur in at least one history
   * @param differences the positions whose results truly differ, in (process, sequence) order
   */
  public record Report(List<String> labels, int positionsCompared, List<Difference> differences) {
    public boolean hasDifferences() {
      return !differences.isEmpty();
    }

    /** An aligned text table of the differences (or a one-line "no differences"). */
    public String renderTable() {
      StringBuilder out = new StringBuilder();
      out.append(differences.size()).append(" of ").append(positionsCompared)
          .append(" planned operations differ across ").append(labels.size()).append(" histories\n");
      if (differences.isEmpty()) {
        return out.toString();
      }
      List<List<String>> rows = new ArrayList<>();
      List<String> header = new ArrayList<>(List.of("position", "operation"));
      header.addAll(labels);
      header.add("why");
      rows.add(header);
      for (Difference d : differences) {
        List<String> row = new ArrayList<>(List.of(d.position().toString(), d.operation()));
        row.addAll(d.results());
        row.add(d.reason());
        rows.add(row);
      }
      int[] widths = new int[header.size()];
      for (List<String> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      for (List<String> row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
        }
        out.append(line.toString().stripTrailing()).append('\n');
      }
      return out.toString();
    }
  }

  private DifferentialAnalysis() {}

  /** Compares histories labelled by their sources. */
  public static Report compare(List<History> histories) {
    return compare(histories.stream().map(History::source).toList(), histories);
  }

  public static Report compare(List<String> labels, List<History> histories) {
    if (labels.size() != histories.size()) {
      throw new IllegalArgumentException(labels.size() + " labels for " + histories.size() + " histories");
    }
    if (histories.size() < 2) {
      throw new IllegalArgumentException("a comparison needs at least 2 histories, got " + histories.size());
    }
    List<Map<Position, Operation>> byPosition = new ArrayList<>();
    TreeSet<Position> all = new TreeSet<>(Comparator.comparingInt(Position::process).thenComparingInt(Position::sequence));
    for (History h : histories) {
      Map<Position, Operation> map = positions(h);
      byPosition.add(map);
      all.addAll(map.keySet());
    }
    List<Difference> differences = new ArrayList<>();
    for (Position p : all) {
      List<Operation> ops = new ArrayList<>(histories.size());
      for (Map<Position, Operation> map : byPosition) {
        ops.add(map.get(p));
      }
      String reason = disagreement(ops, labels);
      if (reason != null) {
        Operation planned = ops.stream().filter(Objects::nonNull).findFirst().orElseThrow();
        differences.add(new Difference(p, planned(planned), ops, ops.stream().map(DifferentialAnalysis::result).toList(), reason));
      }
    }
    return new Report(List.copyOf(labels), all.size(), differences);
  }

  private static Map<Position, Operation> positions(History h) {
    Map<Integer, Integer> nextSequence = new HashMap<>();
    Map<Position, Operation> map = new HashMap<>();
    List<Operation> ordered = new ArrayList<>(h.operations());
    ordered.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingInt(Operation::id));
    for (Operation op : ordered) {
      int seq = nextSequence.merge(op.process(), 1, Integer::sum) - 1;
      map.put(new Position(op.process(), seq), op);
    }
    return map;
  }

  /** The reason the results cannot all be explained by one outcome, or null if they can. */
  static String disagreement(List<Operation> ops, List<String> labels) {
    for (int i = 0; i < ops.size(); i++) {
      for (int j = i + 1; j < ops.size(); j++) {
        String reason = disagreement(ops.get(i), ops.get(j));
        if (reason != null) {
          return labels.get(i) + " vs " + labels.get(j) + ": " + reason;
        }
      }
    }
    return null;
  }

  /** Whether two results of one planned operation disagree (null if some outcome explains both). */
  public static String disagreement(Operation a, Operation b) {
    if (a == null || b == null) {
      return null;
    }
    if (a.function() != b.function() || !a.key().equals(b.key()) || !Objects.equals(a.value(), b.value())
        || !Objects.equals(a.expected(), b.expected())) {
      return "different operations (" + planned(a) + " vs " + planned(b) + ")";
    }
    if (a.outcome() == Outcome.INFO || b.outcome() == Outcome.INFO) {
      return null;
    }
    if (a.outcome() != b.outcome()) {
      return a.function().wireName() + " ok in one, failed in the other";
    }
    if (a.outcome() == Outcome.OK && a.function() == OpFunction.READ && !Objects.equals(a.output(), b.output())) {
      return "read different values";
    }
    return null;
  }

  private static String planned(Operation op) {
    String key = op.key().isEmpty() ? "" : op.key();
    String args = switch (op.function()) {
      case READ, DELETE -> "";
      case WRITE -> Values.render(op.value());
      case CAS -> Values.render(op.expected()) + "->" + Values.render(op.value());
    };
    String sep = !key.isEmpty() && !args.isEmpty() ? ", " : "";
    return op.function().wireName() + "(" + key + sep + args + ")";
  }

  private static String result(Operation op) {
    if (op == null) {
      return "-";
    }
    String outcome = op.outcome().name().toLowerCase(java.util.Locale.ROOT);
    if (op.outcome() == Outcome.OK && op.function() == OpFunction.READ) {
      return outcome + " = " + Values.render(op.output());
    }
    return outcome;
  }
}
