package io.raftlab.checker.history;

import java.util.Objects;

/**
 * One client operation, built from an invoke event and its completion.
 *
 * <p>{@code id} is the operation's index in its {@link History} (stable, so a report can highlight
 * operations by id). Values are plain Java objects: {@code Long} for integers, {@code String},
 * {@code Boolean}, {@code List} or {@code null} (absent).
 *
 * @param id index in the history
 * @param process the client (Jepsen process) that issued it
 * @param function read, write, cas or delete
 * @param key the key; "" for a single-register history
 * @param value the value the operation writes: a write's value, a CAS's new value; null otherwise
 * @param expected a CAS's compare value; null otherwise
 * @param output the value a read returned (null = absent); null for other functions
 * @param invokeNanos invocation time
 * @param completeNanos completion time; {@link Long#MAX_VALUE} when the completion is unknown
 *     (never completed). For INFO operations the checker treats completion as +infinity anyway.
 * @param node the node the client talked to, or null
 * @param outcome OK, FAIL or INFO
 * @param line the source line of the invoke event (1-based), or 0 when not from a file
 */
public record Operation(
    int id,
    int process,
    OpFunction function,
    String key,
    Object value,
    Object expected,
    Object output,
    long invokeNanos,
    long completeNanos,
    String node,
    Outcome outcome,
    int line) {

  public Operation {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    if (completeNanos < invokeNanos) {
      throw new IllegalArgumentException(
          "operation " + id + " completes (" + completeNanos + ") before it is invoked (" + invokeNanos + ")");
    }
  }

  public static Operation read(int id, int process, String key, Object output, long invoke, long complete, Outcome outcome) {
    return new Operation(id, process, OpFunction.READ, key, null, null, output, invoke, complete, null, outcome, 0);
  }

  public static Operation write(int id, int process, String key, Object value, long invoke, long complete, Outcome outcome) {
    return new Operation(id, process, OpFunction.WRITE, key, value, null, null, invoke, complete, null, outcome, 0);
  }

  public static Operation cas(int id, int process, String key, Object expected, Object value, long invoke, long complete, Outcome outcome) {
    return new Operation(id, process, OpFunction.CAS, key, value, expected, null, invoke, complete, null, outcome, 0);
  }

  public static Operation delete(int id, int process, String key, long invoke, long complete, Outcome outcome) {
    return new Operation(id, process, OpFunction.DELETE, key, null, null, null, invoke, complete, null, outcome, 0);
  }

  /** The same operation under another id (used when a history is re-indexed). */
  public Operation withId(int newId) {
    return new Operation(newId, process, function, key, value, expected, output, invokeNanos, completeNanos, node, outcome, line);
  }

  public Operation withOutput(Object newOutput) {
    return new Operation(id, process, function, key, value, expected, newOutput, invokeNanos, completeNanos, node, outcome, line);
  }

  public Operation withOutcome(Outcome newOutcome) {
    return new Operation(id, process, function, key, value, expected, output, invokeNanos, completeNanos, node, newOutcome, line);
  }

  /** Short human form, e.g. {@code #12 p3 cas(k1, 1->2) ok}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append('#').append(id).append(" p").append(process).append(' ').append(function.wireName()).append('(');
    if (!key.isEmpty()) {
      b.append(key);
    }
    String args =
        switch (function) {
          case READ, DELETE -> "";
          case WRITE -> Values.render(value);
          case CAS -> Values.render(expected) + "->" + Values.render(value);
        };
    if (!key.isEmpty() && !args.isEmpty()) {
      b.append(", ");
    }
    b.append(args).append(')');
    if (function == OpFunction.READ && outcome == Outcome.OK) {
      b.append(" = ").append(Values.render(output));
    }
    b.append(' ').append(outcome.name().toLowerCase(java.util.Locale.ROOT));
    return b.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
