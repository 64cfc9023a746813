package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of {@link LinearizabilityChecker#check}.
 *
 * @param verdict LINEARIZABLE, NOT_LINEARIZABLE (some key has a violation, even if other keys
 *     ran out of budget) or UNKNOWN
 * @param model the model's name
 * @param perKey the answer for every key, sorted by key
 * @param violation the first violating key's explanation when NOT_LINEARIZABLE, else null
 * @param reason why the verdict is UNKNOWN, else ""
 * @param elapsed wall time of the check
 */
public record CheckResult(
    Verdict verdict, String model, Map<String, KeyResult> perKey, Violation violation, String reason, Duration elapsed) {

  public CheckResult {
    perKey = Map.copyOf(perKey);
  }

  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /** Ids of the operations to highlight in a report (the violation's set), empty if none. */
  public List<Integer> highlightedOperationIds() {
    return violation == null ? List.of() : violation.operations().stream().map(Operation::id).toList();
  }

  /** A multi-line, human-readable summary (what the CLI prints). */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("verdict: ").append(verdict).append(" (model ").append(model).append(", ")
        .append(perKey.size()).append(perKey.size() == 1 ? " key" : " keys").append(", ")
        .append(elapsed.toMillis()).append(" ms)\n");
    if (!reason.isEmpty()) {
      b.append("reason: ").append(reason).append('\n');
    }
    if (violation != null) {
      Violation v = violation;
      b.append("key: ").append(v.key().isEmpty() ? "(single register)" : v.key()).append('\n');
      b.append(v.minimal() ? "minimal set of operations that cannot be ordered ("
              : "operations that cannot be ordered (shrink ran out of budget, not minimal; ")
          .append(v.operations().size()).append("):\n");
      for (Operation op : v.operations()) {
        b.append("  ").append(op.describe()).append("  [").append(op.invokeNanos()).append(", ")
            .append(op.completeNanos() == Long.MAX_VALUE ? "inf" : String.valueOf(op.completeNanos())).append(']');
        if (op.line() > 0) {
          b.append(" line ").append(op.line());
        }
        b.append('\n');
      }
      b.append("impossible: ").append(v.explanation()).append('\n');
      b.append("longest linearizable prefix: ").append(v.linearizablePrefix().size())
          .append(" operations of key ").append(v.key().isEmpty() ? "(single register)" : v.key())
          .append(", ending in state ").append(v.stateAfterPrefix()).append('\n');
    }
    List<KeyResult> unknown = perKey.values().stream().filter(k -> k.verdict() == Verdict.UNKNOWN).toList();
    if (!unknown.isEmpty()) {
      b.append("keys without an answer: ").append(unknown.stream()
          .map(k -> (k.key().isEmpty() ? "(single register)" : k.key()) + " (" + k.reason() + ")")
          .limit(10).collect(Collectors.joining(", ")));
      if (unknown.size() > 10) {
        b.append(", ... ").append(unknown.size() - 10).append(" more");
      }
      b.append('\n');
    }
    return b.toString();
  }
}
