package io.raftlab.checker.model;

import io.raftlab.checker.history.Operation;
import java.util.List;

/**
 * A sequential specification: the states an object can be in and how each operation moves it.
 * States must be non-null and immutable. A new model is one small class implementing {@link #init},
 * {@link #step} and {@link #describe}.
 *
 * @param <S> the state type
 */
public interface Model<S> {

  /** The name used on the command line (e.g. "cas-register"). */
  String name();

  /** The state before any operation. */
  S init();

  /**
   * The state after {@code op} takes effect in {@code state}, or {@code null} if {@code op} cannot
   * take effect there with the result it reported (e.g. a read of another value).
   */
  S step(S state, Operation op);

  /** Describes a state for error messages (e.g. "3", "absent", "{k1=3}"). */
  String describe(S state);

  default boolean sameState(S a, S b) {
    return a.equals(b);
  }

  default int stateHash(S state) {
    return state.hashCode();
  }

  /**
   * True when {@code op} can never change any state: {@link #step} returns the same state or
   * null, whatever the state (a read). The search linearizes such an operation as soon as it is
   * accepted, without trying alternatives, so answer true only when it holds for every state.
   */
  default boolean isReadOnly(Operation op) {
    return false;
  }

  /** Why this model cannot interpret {@code op} (e.g. a cas on a plain register), or null if it can. */
  default String unsupported(Operation op) {
    return null;
  }

  /**
   * Splits (and may simplify) the operations into parts that are checked independently. The
   * history is linearizable iff every part is. The default is one part with every operation.
   */
  default List<Partition<?>> partition(List<Operation> operations) {
    return List.of(new Partition<>("", operations, this));
  }

  /** The model with this command-line name: register, cas-register or kv. */
  static Model<?> byName(String name) {
    return switch (name) {
      case "register" -> new RegisterModel();
      case "cas-register" -> new CasRegisterModel();
      case "kv" -> new KvModel();
      default -> throw new IllegalArgumentException(
          "unknown model '" + name + "'; allowed: register, cas-register, kv");
    };
  }
}
