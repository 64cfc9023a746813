package io.raftlab.checker.model;

import io.raftlab.checker.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key-value store of independent cas-registers. Checked key by key (P-compositionality:
 * linearizability is local, so a history is linearizable iff each key's sub-history is). {@link
 * #wholeHistory()} gives the same model searched over all keys at once (slow; for cross-checking).
 */
public final class KvModel implements Model<Map<String, Object>> {
  private final CasRegisterModel register = new CasRegisterModel();
  private final boolean splitByKey;

  public KvModel() {
    this(true);
  }

  private KvModel(boolean splitByKey) {
    this.splitByKey = splitByKey;
  }

  /** The kv model without the per-key split: one search over a map of all keys. */
  public static KvModel wholeHistory() {
    return new KvModel(false);
  }

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public Map<String, Object> init() {
    return Map.of();
  }

  @Override
  public Map<String, Object> step(Map<String, Object> state, Operation op) {
    Object current = state.getOrDefault(op.key(), RegisterModel.ABSENT);
    Object next = register.step(current, op);
    if (next == null) {
      return null;
    }
    if (next.equals(current)) {
      return state;
    }
    Map<String, Object> copy = new HashMap<>(state);
    if (next == RegisterModel.ABSENT) {
      copy.remove(op.key());
    } else {
      copy.put(op.key(), next);
    }
    return Map.copyOf(copy);
  }

  @Override
  public boolean isReadOnly(Operation op) {
    return register.isReadOnly(op);
  }

  @Override
  public String describe(Map<String, Object> state) {
    Map<String, String> shown = new TreeMap<>();
    state.forEach((k, v) -> shown.put(k, register.describe(v)));
    return shown.toString();
  }

  @Override
  public List<Partition<?>> partition(List<Operation> operations) {
    if (!splitByKey) {
      return List.of(new Partition<>("", operations, this));
    }
    Map<String, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<Partition<?>> parts = new ArrayList<>(byKey.size());
    byKey.forEach((key, ops) -> parts.add(new Partition<>(key, RegisterModel.simplify(ops), register)));
    return parts;
  }
}
