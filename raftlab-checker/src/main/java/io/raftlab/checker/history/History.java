package io.raftlab.checker.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable list of operations, ordered by invocation; {@code operations().get(i).id() == i}.
 *
 * <p>A history is what every parser produces and what the checker and the differential analysis
 * consume. It carries no reference to the system that produced it.
 */
public final class History {
  private final String source;
  private final List<Operation> operations;

  private History(String source, List<Operation> operations) {
    this.source = source;
    this.operations = operations;
  }

  /**
   * A history of the given operations. Their ids must be 0..n-1 in list order (use {@link
   * #reindexed} otherwise).
   */
  public static History of(String source, List<Operation> operations) {
    List<Operation> copy = List.copyOf(operations);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).id() != i) {
        throw new IllegalArgumentException(
            "operation at index " + i + " has id " + copy.get(i).id() + "; ids must equal their index (use History.reindexed)");
      }
    }
    return new History(source, copy);
  }

  /** A history of the given operations, sorted by invocation time and given ids 0..n-1. */
  public static History reindexed(String source, List<Operation> operations) {
    List<Operation> sorted = new ArrayList<>(operations);
    sorted.sort((a, b) -> Long.compare(a.invokeNanos(), b.invokeNanos()));
    List<Operation> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      out.add(sorted.get(i).withId(i));
    }
    return new History(source, Collections.unmodifiableList(out));
  }

  /** Where the history came from (a file name, "generated", ...). */
  public String source() {
    return source;
  }

  public List<Operation> operations() {
    return operations;
  }

  public Operation get(int id) {
    return operations.get(id);
  }

  public int size() {
    return operations.size();
  }

  /** The distinct keys, sorted. */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (Operation op : operations) {
      keys.add(op.key());
    }
    return keys;
  }

  /** True when some operation names a non-empty key (a multi-key store rather than one register). */
  public boolean hasKeys() {
    for (Operation op : operations) {
      if (!op.key().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The operations of each key, in history order (P-compositionality: keys are independent). */
  public Map<String, List<Operation>> byKey() {
    Map<String, List<Operation>> map = new LinkedHashMap<>();
    for (Operation op : operations) {
      map.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    return map;
  }

  @Override
  public String toString() {
    return "History[" + source + ", " + operations.size() + " operations]";
  }
}
