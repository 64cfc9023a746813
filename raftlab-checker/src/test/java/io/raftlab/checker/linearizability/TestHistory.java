package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Builds small hand-made histories; operations get ids in the order they are added. */
final class TestHistory {
  static final long INF = Long.MAX_VALUE;
  private final List<Operation> ops = new ArrayList<>();
  private String key = "";

  static TestHistory history() {
    return new TestHistory();
  }

  TestHistory key(String k) {
    key = k;
    return this;
  }

  TestHistory write(int p, long value, long start, long end) {
    return add(Operation.write(ops.size(), p, key, value, start, end, Outcome.OK));
  }

  TestHistory writeInfo(int p, long value, long start) {
    return add(Operation.write(ops.size(), p, key, value, start, INF, Outcome.INFO));
  }

  TestHistory writeFail(int p, long value, long start, long end) {
    return add(Operation.write(ops.size(), p, key, value, start, end, Outcome.FAIL));
  }

  TestHistory read(int p, Long value, long start, long end) {
    return add(Operation.read(ops.size(), p, key, value, start, end, Outcome.OK));
  }

  TestHistory cas(int p, Long expected, long value, long start, long end) {
    return add(Operation.cas(ops.size(), p, key, expected, value, start, end, Outcome.OK));
  }

  TestHistory casFail(int p, Long expected, long value, long start, long end) {
    return add(Operation.cas(ops.size(), p, key, expected, value, start, end, Outcome.FAIL));
  }

  TestHistory casInfo(int p, Long expected, long value, long start) {
    return add(Operation.cas(ops.size(), p, key, expected, value, start, INF, Outcome.INFO));
  }

  TestHistory delete(int p, long start, long end) {
    return add(Operation.delete(ops.size(), p, key, start, end, Outcome.OK));
  }

  private TestHistory add(Operation op) {
    ops.add(op);
    return this;
  }

  History build() {
    return History.of("test", ops);
  }
}
