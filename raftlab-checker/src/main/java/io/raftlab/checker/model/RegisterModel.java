package io.raftlab.checker.model;

import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.history.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A read/write register (delete makes it absent). It starts absent; a read that returns null
 * observed "absent". States are the register's value, with {@link #ABSENT} for no value.
 */
public class RegisterModel implements Model<Object> {

  /** The state of a register that holds no value. */
  public static final Object ABSENT =
      new Object() {
        @Override
        public String toString() {
          return "absent";
        }
      };

  @Override
  public String name() {
    return "register";
  }

  @Override
  public Object init() {
    return ABSENT;
  }

  static Object stateOf(Object value) {
    return value == null ? ABSENT : value;
  }

  @Override
  public Object step(Object state, Operation op) {
    return switch (op.function()) {
      case READ -> Objects.equals(state, stateOf(op.output())) ? state : null;
      case WRITE -> stateOf(op.value());
      case DELETE -> ABSENT;
      case CAS -> null;
    };
  }

  @Override
  public String describe(Object state) {
    return state == ABSENT ? "absent" : Values.render(state);
  }

  @Override
  public boolean isReadOnly(Operation op) {
    return op.function() == OpFunction.READ
        || (op.function() == OpFunction.CAS && Objects.equals(stateOf(op.expected()), stateOf(op.value())));
  }

  @Override
  public String unsupported(Operation op) {
    return op.function() == OpFunction.CAS ? "a plain register has no cas (use the cas-register or kv model)" : null;
  }

  /**
   * One part, simplified without changing the answer: failed operations and reads with unknown
   * results never constrain anything; an INFO write or CAS whose written value no read or CAS ever
   * observes can be left out, because anything linearized after it until the next overwrite
   * would have had to observe that value.
   */
  @Override
  public List<Partition<?>> partition(List<Operation> operations) {
    return List.of(new Partition<>(operations.isEmpty() ? "" : operations.get(0).key(), simplify(operations), this));
  }

  static List<Operation> simplify(List<Operation> operations) {
    Set<Object> observed = new HashSet<>();
    for (Operation op : operations) {
      if (op.outcome() == Outcome.OK && op.function() == OpFunction.READ) {
        observed.add(stateOf(op.output()));
      } else if (op.outcome() != Outcome.FAIL && op.function() == OpFunction.CAS) {
        observed.add(stateOf(op.expected()));
      }
    }
    List<Operation> kept = new ArrayList<>(operations.size());
    for (Operation op : operations) {
      if (op.outcome() == Outcome.FAIL) {
        continue;
      }
      if (op.outcome() == Outcome.INFO) {
        if (op.function() == OpFunction.READ) {
          continue;
        }
        boolean writesValue = op.function() == OpFunction.WRITE || op.function() == OpFunction.CAS;
        if (writesValue && !observed.contains(stateOf(op.value()))) {
          continue;
        }
      }
      kept.add(op);
    }
    return kept;
  }
}
