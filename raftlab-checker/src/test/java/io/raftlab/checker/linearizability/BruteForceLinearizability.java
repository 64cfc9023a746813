package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference answer by exhaustive search over every order (no memoization, no pruning tricks):
 * slow, but obviously right. Op a must precede op b iff a completed (not INFO) strictly before b
 * was invoked. INFO operations may be left out. FAIL operations are ignored.
 */
final class BruteForceLinearizability {
  private BruteForceLinearizability() {}

  static <S> boolean isLinearizable(List<Operation> history, Model<S> model) {
    List<Operation> ops = new ArrayList<>();
    for (Operation op : history) {
      if (op.outcome() != Outcome.FAIL) {
        ops.add(op);
      }
    }
    return search(ops, model, new boolean[ops.size()], model.init());
  }

  private static <S> boolean search(List<Operation> ops, Model<S> model, boolean[] done, S state) {
    boolean allRequiredDone = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && ops.get(i).outcome() != Outcome.INFO) {
        allRequiredDone = false;
      }
    }
    if (allRequiredDone) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (done[i] || !minimal(ops, done, i)) {
        continue;
      }
      S next = model.step(state, ops.get(i));
      if (next == null) {
        continue;
      }
      done[i] = true;
      boolean ok = search(ops, model, done, next);
      done[i] = false;
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** True when every op that must precede op i is done. */
  private static boolean minimal(List<Operation> ops, boolean[] done, int i) {
    for (int j = 0; j < ops.size(); j++) {
      Operation before = ops.get(j);
      if (!done[j] && j != i && before.outcome() != Outcome.INFO && before.completeNanos() < ops.get(i).invokeNanos()) {
        return false;
      }
    }
    return true;
  }
}
