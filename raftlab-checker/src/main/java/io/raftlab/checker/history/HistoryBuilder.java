package io.raftlab.checker.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pairs invoke and completion events into {@link Operation}s.
 *
 * <p>Each process has at most one open operation. A completion closes the open operation of its
 * process; an invoke with no completion by the end becomes INFO (unknown outcome). Operations are
 * numbered in the order of their invoke events.
 */
public final class HistoryBuilder {
  private final String source;
  private final List<Pending> pending = new ArrayList<>();
  private final Map<Integer, Pending> open = new HashMap<>();

  public HistoryBuilder(String source) {
    this.source = source;
  }

  private static final class Pending {
    final int process;
    final OpFunction function;
    final String key;
    final Object value;
    final Object expected;
    final long invokeNanos;
    final String node;
    final int line;
    Object output;
    long completeNanos = Long.MAX_VALUE;
    Outcome outcome = Outcome.INFO;

    Pending(int process, OpFunction function, String key, Object value, Object expected, long invokeNanos, String node, int line) {
      this.process = process;
      this.function = function;
      this.key = key;
      this.value = value;
      this.expected = expected;
      this.invokeNanos = invokeNanos;
      this.node = node;
      this.line = line;
    }
  }

  /**
   * Records an invocation.
   *
   * @param value write value or CAS new value (null otherwise)
   * @param expected CAS compare value (null otherwise)
   * @throws IllegalStateException if the process already has an open operation
   */
  public void invoke(int process, OpFunction function, String key, Object value, Object expected, long timeNanos, String node, int line) {
    Objects.requireNonNull(function, "function");
    Pending previous = open.get(process);
    if (previous != null) {
      throw new IllegalStateException(
          "process " + process + " invokes a new operation while its " + previous.function.wireName()
              + " from line " + previous.line + " has not completed");
    }
    Pending p = new Pending(process, function, key == null ? "" : key, value, expected, timeNanos, node, line);
    pending.add(p);
    open.put(process, p);
  }

  /**
   * Records the completion of the open operation of {@code process}.
   *
   * @param output the value a read returned (ignored for other functions)
   * @throws IllegalStateException if the process has no open operation, the function differs
   *     from the invocation's, or the completion precedes the invocation
   */
  public void complete(int process, OpFunction function, Outcome outcome, Object output, long timeNanos) {
    Pending p = open.remove(process);
    if (p == null) {
      throw new IllegalStateException("process " + process + " completes a " + function.wireName() + " it never invoked");
    }
    if (function != null && function != p.function) {
      throw new IllegalStateException(
          "process " + process + " completes a " + function.wireName() + " but invoked a "
              + p.function.wireName() + " at line " + p.line);
    }
    if (timeNanos < p.invokeNanos) {
      throw new IllegalStateException(
          "process " + process + " completes at time " + timeNanos + ", before its invocation at time "
              + p.invokeNanos + " (line " + p.line + ")");
    }
    p.outcome = outcome;
    p.completeNanos = timeNanos;
    if (p.function == OpFunction.READ && outcome == Outcome.OK) {
      p.output = output;
    }
  }

  /** True when {@code process} has an invoked, not yet completed operation. */
  public boolean isOpen(int process) {
    return open.containsKey(process);
  }

  public History build() {
    List<Operation> ops = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      ops.add(new Operation(i, p.process, p.function, p.key, p.value, p.expected, p.output,
          p.invokeNanos, p.completeNanos, p.node, p.outcome, p.line));
    }
    return History.of(source, ops);
  }
}
