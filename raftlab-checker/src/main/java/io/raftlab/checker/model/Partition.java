package io.raftlab.checker.model;

import io.raftlab.checker.history.Operation;
import java.util.List;

/**
 * An independently checkable part of a history (for a key-value store: one key).
 *
 * @param key the key the part covers ("" for a single register or a whole history)
 * @param operations its operations, in history order (they keep their history ids)
 * @param model the model to check them against
 */
public record Partition<S>(String key, List<Operation> operations, Model<S> model) {
  public Partition {
    operations = List.copyOf(operations);
  }
}
