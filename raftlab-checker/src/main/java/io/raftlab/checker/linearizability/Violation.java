package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.Operation;
import java.util.List;

/**
 * Why a history is not linearizable, on one key.
 *
 * @param key the key whose operations cannot be ordered
 * @param operations a set of operations (ids are history ids) that on their own cannot be
 *     linearized; minimal when {@code minimal} is true (removing any one makes it linearizable)
 * @param minimal whether the shrink finished within the budget
 * @param linearizablePrefix the longest sequence of this key's operations the search could
 *     linearize, in linearization order
 * @param stateAfterPrefix the model state after that prefix
 * @param impossibleOperation the read or CAS whose result no order can explain (within {@code
 *     operations}), or null if it could not be singled out
 * @param possibleStates the states the object could be in where {@code impossibleOperation} had
 *     to take effect (e.g. the values a read could have returned)
 */
public record Violation(
    String key,
    List<Operation> operations,
    boolean minimal,
    List<Operation> linearizablePrefix,
    String stateAfterPrefix,
    Operation impossibleOperation,
    List<String> possibleStates) {

  public Violation {
    operations = List.copyOf(operations);
    linearizablePrefix = List.copyOf(linearizablePrefix);
    possibleStates = List.copyOf(possibleStates);
  }

  /** One sentence: which operation is impossible and what was possible there. */
  public String explanation() {
    if (impossibleOperation == null) {
      return "no order of these operations is legal";
    }
    String where = possibleStates.isEmpty() ? "in no reachable state"
        : "the state could only be " + String.join(" or ", possibleStates);
    return switch (impossibleOperation.function()) {
      case READ -> "read " + impossibleOperation.describe() + " is impossible: " + where;
      case CAS -> "cas " + impossibleOperation.describe() + " cannot have succeeded: " + where;
      default -> impossibleOperation.describe() + " cannot take effect: " + where;
    };
  }
}
