package io.raftlab.checker.model;

import io.raftlab.checker.history.Operation;
import java.util.Objects;

/** A register with compare-and-set: cas(expected, new) takes effect only if it holds expected. */
public class CasRegisterModel extends RegisterModel {

  @Override
  public String name() {
    return "cas-register";
  }

  @Override
  public Object step(Object state, Operation op) {
    return switch (op.function()) {
      case CAS -> Objects.equals(state, stateOf(op.expected())) ? stateOf(op.value()) : null;
      default -> super.step(state, op);
    };
  }

  @Override
  public String unsupported(Operation op) {
    return null;
  }
}
