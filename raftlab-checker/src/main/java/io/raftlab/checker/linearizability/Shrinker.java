package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.model.Model;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shrinks a non-linearizable set of operations to a minimal one: no operation can be removed
 * without the rest becoming linearizable. Every candidate is re-checked by the search, so the
 * result is always a genuine violation; only its minimality depends on the budget.
 *
 * <p>Order: first keep only operations invoked before the blocking operation returned, then try
 * windows of growing size ending at the blocking operation, each with the writers of the values it
 * observes (violations are usually local), then
 * remove halves, quarters, ... and finally single operations until nothing more can go.
 *
 * <p>A candidate must keep a writer of every value its reads and CASes observe (when the full
 * history had one): otherwise dropping the write would "explain" the violation by a read of a
 * value nobody wrote, which is a different, artificial violation.
 */
final class Shrinker<S> {
  private final Model<S> model;
  private final long deadline;
  private final long cacheBytes;
  /** True when the result is 1-minimal (the budget did not run out first). */
  boolean finished;
  private boolean outOfTime;

  private Set<Object> writtenInFull = Set.of();
  /** The set after the cheap cuts (prefix and window), before removing single operations. */
  List<Operation> context = List.of();

  Shrinker(Model<S> model, long deadline, long cacheBytes) {
    this.model = model;
    this.deadline = deadline;
    this.cacheBytes = cacheBytes;
  }

  List<Operation> shrink(List<Operation> ops, Operation blocking) {
    writtenInFull = written(ops);
    List<Operation> current = ops;
    if (blocking != null) {
      // Operations invoked after the blocking one returned, unless they wrote a value observed
      // before, cannot matter to it.
      boolean[] in = new boolean[current.size()];
      for (int i = 0; i < current.size(); i++) {
        in[i] = current.get(i).invokeNanos() <= blocking.completeNanos();
      }
      List<Operation> before = withWriters(in, current);
      if (before.size() < current.size() && violates(before)) {
        current = before;
      }
      int at = current.indexOf(blocking);
      for (int window = 8; at >= 0 && window < at && !outOfTime; window *= 4) {
        boolean[] win = new boolean[current.size()];
        for (int i = at - window; i < current.size(); i++) {
          win[i] = current.get(i).invokeNanos() <= blocking.completeNanos();
        }
        List<Operation> candidate = withWriters(win, current);
        if (candidate.size() < current.size() && violates(candidate)) {
          current = candidate;
          break;
        }
      }
    }
    context = current;
    for (int chunk = current.size() / 2; chunk >= 1 && !outOfTime; chunk /= 2) {
      current = removeChunks(current, chunk);
    }
    boolean changed = true;
    while (changed && !outOfTime) {
      int before = current.size();
      current = removeChunks(current, 1);
      changed = current.size() < before;
    }
    finished = !outOfTime;
    return current;
  }

  private List<Operation> removeChunks(List<Operation> current, int chunk) {
    int i = 0;
    while (i < current.size() && !outOfTime) {
      List<Operation> candidate = new ArrayList<>(current.size());
      candidate.addAll(current.subList(0, i));
      candidate.addAll(current.subList(Math.min(current.size(), i + chunk), current.size()));
      if (!candidate.isEmpty() && violates(candidate)) {
        current = candidate;
      } else {
        i += chunk;
      }
    }
    return current;
  }

  private static Set<Object> written(List<Operation> ops) {
    Set<Object> values = new HashSet<>();
    for (Operation op : ops) {
      if (op.function() == OpFunction.WRITE || op.function() == OpFunction.CAS) {
        values.add(op.value());
      }
    }
    return values;
  }

  /** The value an OK read or CAS observed (INFO ones may never have happened, so observe nothing). */
  private static Object observed(Operation op) {
    if (op.outcome() != Outcome.OK) {
      return null;
    }
    return switch (op.function()) {
      case READ -> op.output();
      case CAS -> op.expected();
      default -> null;
    };
  }

  /**
   * The operations of {@code ops} marked in {@code in}, plus (transitively) the writers of every
   * value they observe, so that the selection explains its own reads.
   */
  private List<Operation> withWriters(boolean[] in, List<Operation> ops) {
    Map<Object, List<Integer>> writers = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (op.function() == OpFunction.WRITE || op.function() == OpFunction.CAS) {
        writers.computeIfAbsent(op.value(), v -> new ArrayList<>()).add(i);
      }
    }
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    Set<Object> covered = new HashSet<>();
    for (int i = 0; i < ops.size(); i++) {
      if (in[i]) {
        todo.add(i);
        Operation op = ops.get(i);
        if (op.function() == OpFunction.WRITE || op.function() == OpFunction.CAS) {
          covered.add(op.value());
        }
      }
    }
    while (!todo.isEmpty()) {
      Object v = observed(ops.get(todo.poll()));
      if (v == null || covered.contains(v)) {
        continue;
      }
      covered.add(v);
      for (int w : writers.getOrDefault(v, List.of())) {
        if (!in[w]) {
          in[w] = true;
          todo.add(w);
        }
      }
    }
    List<Operation> out = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (in[i]) {
        out.add(ops.get(i));
      }
    }
    return out;
  }

  /** False when an observed value lost all its writers in this candidate. */
  private boolean keepsWriters(List<Operation> candidate) {
    Set<Object> written = written(candidate);
    for (Operation op : candidate) {
      Object observed = observed(op);
      if (observed != null && writtenInFull.contains(observed) && !written.contains(observed)) {
        return false;
      }
    }
    return true;
  }

  private boolean violates(List<Operation> candidate) {
    if (!keepsWriters(candidate)) {
      return false;
    }
    LinearizabilitySearch<S> s = new LinearizabilitySearch<>(candidate, model, deadline, cacheBytes, -1);
    LinearizabilitySearch.Status status = s.run();
    if (status == LinearizabilitySearch.Status.OUT_OF_TIME) {
      outOfTime = true;
    }
    return status == LinearizabilitySearch.Status.NOT_LINEARIZABLE;
  }
}
