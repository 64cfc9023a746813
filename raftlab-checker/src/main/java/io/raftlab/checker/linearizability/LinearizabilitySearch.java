package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.model.Model;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Wing &amp; Gong search with Lowe's memoization, as in Porcupine, over one partition.
 *
 * <p>Calls and returns are sorted by time (a call before a return at equal times, so touching
 * operations count as concurrent) into a doubly linked list. Walking from the head, a call whose
 * operation the model accepts, and whose (linearized set, state) was not explored yet, is lifted
 * out of the list together with its return and pushed on a stack; reaching a return means that
 * operation was not linearized before it had to be, so the search pops the last choice and tries
 * the next candidate. INFO operations have no return (it is at +infinity): when only their calls
 * are left, the rest may simply never take effect, and the history is linearizable.
 */
final class LinearizabilitySearch<S> {
  enum Status {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    OUT_OF_TIME,
    OUT_OF_MEMORY
  }

  /** How many loop iterations between deadline checks. */
  private static final int DEADLINE_CHECK_INTERVAL = 1 << 10;

  private final List<Operation> ops;
  private final Model<S> model;
  private final long deadlineNanos;
  private final long maxCacheBytes;
  private final int rejectionsToRecordFor;

  // Results.
  Status status;
  int[] bestPrefix = new int[0];
  int bestDepth;
  Object stateAfterBestPrefix;
  int blockingOp = -1;
  long iterations;
  long backtracks;
  long pushes;
  int cacheEntries;
  final Set<Object> rejectedStates = new LinkedHashSet<>();

  /**
   * @param rejectionsToRecordFor a local operation index whose rejecting states to collect (for
   *     explaining an impossible result), or -1
   */
  LinearizabilitySearch(List<Operation> ops, Model<S> model, long deadlineNanos, long maxCacheBytes, int rejectionsToRecordFor) {
    this.ops = ops;
    this.model = model;
    this.deadlineNanos = deadlineNanos;
    this.maxCacheBytes = maxCacheBytes;
    this.rejectionsToRecordFor = rejectionsToRecordFor;
  }

  @SuppressWarnings("unchecked")
  Status run() {
    int n = ops.size();
    // Entries: call of op i is entry i; return of op i (if it has one) is n + i.
    int returns = 0;
    for (Operation op : ops) {
      if (op.outcome() != Outcome.INFO) {
        returns++;
      }
    }
    int m = n + returns;
    long[] sortKey = new long[m];
    int[] entryOp = new int[m];
    boolean[] isCall = new boolean[m];
    Integer[] order = new Integer[m];
    int e = 0;
    for (int i = 0; i < n; i++) {
      entryOp[e] = i;
      isCall[e] = true;
      sortKey[e] = ops.get(i).invokeNanos();
      order[e] = e;
      e++;
    }
    for (int i = 0; i < n; i++) {
      if (ops.get(i).outcome() != Outcome.INFO) {
        entryOp[e] = i;
        isCall[e] = false;
        sortKey[e] = ops.get(i).completeNanos();
        order[e] = e;
        e++;
      }
    }
    Arrays.sort(order, (a, b) -> {
      int c = Long.compare(sortKey[a], sortKey[b]);
      if (c != 0) {
        return c;
      }
      if (isCall[a] != isCall[b]) {
        return isCall[a] ? -1 : 1;
      }
      return Integer.compare(a, b);
    });
    // Linked list over list positions 0..m-1; position m is the head sentinel.
    int head = m;
    int[] next = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] nodeOp = new int[m];
    boolean[] nodeIsCall = new boolean[m];
    int[] match = new int[m];
    int[] callNodeOfOp = new int[n];
    Arrays.fill(match, -1);
    for (int p = 0; p < m; p++) {
      int entry = order[p];
      nodeOp[p] = entryOp[entry];
      nodeIsCall[p] = isCall[entry];
      if (isCall[entry]) {
        callNodeOfOp[entryOp[entry]] = p;
      } else {
        match[callNodeOfOp[entryOp[entry]]] = p;
      }
    }
    for (int p = 0; p < m; p++) {
      next[p] = p + 1 < m ? p + 1 : -1;
      prev[p] = p == 0 ? head : p - 1;
    }
    next[head] = m > 0 ? 0 : -1;
    prev[head] = -1;

    long[] zobrist = new long[n];
    SplittableRandom random = new SplittableRandom(0x5eed_1234_abcdL);
    for (int i = 0; i < n; i++) {
      zobrist[i] = random.nextLong();
    }
    // Bit positions: operations with a return first, in order; INFO operations in a tail region
    // of their own, so one INFO operation left unlinearized does not widen every cache entry.
    int[] bitOf = new int[n];
    int mainCount = returns;
    int tailStart = (mainCount + 63) >> 6;
    int tailEnd = tailStart + ((n - mainCount + 63) >> 6);
    int mainBit = 0;
    int tailBit = tailStart << 6;
    for (int i = 0; i < n; i++) {
      bitOf[i] = ops.get(i).outcome() == Outcome.INFO ? tailBit++ : mainBit++;
    }
    long[] words = new long[tailEnd + 1];
    int base = 0; // first main-region word that is not all ones
    int high = -1; // last non-zero main-region word
    long linHash = 0;
    LinearizationCache cache = new LinearizationCache(maxCacheBytes, (a, b) -> model.sameState((S) a, (S) b));

    boolean[] readOnly = new boolean[n];
    for (int i = 0; i < n; i++) {
      readOnly[i] = model.isReadOnly(ops.get(i));
    }
    int[] stackNode = new int[n];
    boolean[] stackForced = new boolean[n];
    Object[] stackState = new Object[n];
    int depth = 0;
    int minDepthSinceBest = 0;
    int[] best = new int[n];
    S state = model.init();
    stateAfterBestPrefix = state;

    int entry = next[head];
    // At a node reached by a push, first look for a read-only candidate the model accepts (a read
    // of the current value, say). Linearizing it right away is always safe: in any linearization
    // from here it can be moved to this point, as it changes no state. So it is pushed as "forced"
    // and needs no alternative; if what follows fails, this node fails.
    boolean fresh = true;
    boolean backtrack = false;
    long count = 0;
    while (true) {
      if ((++count & (DEADLINE_CHECK_INTERVAL - 1)) == 0 && System.nanoTime() - deadlineNanos > 0) {
        return finish(Status.OUT_OF_TIME, best, count, cache);
      }
      int chosen = -1;
      boolean forced = false;
      S nextState = null;
      if (fresh) {
        fresh = false;
        for (int c = next[head]; c != -1 && nodeIsCall[c]; c = next[c]) {
          if (!readOnly[nodeOp[c]]) {
            continue;
          }
          S candidate = model.step(state, ops.get(nodeOp[c]));
          if (candidate == null) {
            if (nodeOp[c] == rejectionsToRecordFor && rejectedStates.size() < 32) {
              rejectedStates.add(model.describe(state));
            }
          } else {
            chosen = c;
            forced = true;
            nextState = candidate;
            break;
          }
        }
        entry = next[head];
      }
      if (chosen == -1) {
        if (entry == -1) {
          // Only INFO calls remain (every op with a return has been linearized): they never took effect.
          return finish(Status.LINEARIZABLE, best, count, cache);
        }
        if (nodeIsCall[entry]) {
          nextState = model.step(state, ops.get(nodeOp[entry]));
          if (nextState == null) {
            if (nodeOp[entry] == rejectionsToRecordFor && rejectedStates.size() < 32) {
              rejectedStates.add(model.describe(state));
            }
            entry = next[entry];
            continue;
          }
          chosen = entry;
        } else {
          // The return of an operation not yet linearized: this node is a dead end.
          // Remember the latest return the search ever got stuck at: no order gets past it.
          if (blockingOp == -1 || ops.get(nodeOp[entry]).completeNanos() > ops.get(blockingOp).completeNanos()) {
            blockingOp = nodeOp[entry];
          }
          backtrack = true;
        }
      }
      if (chosen != -1) {
        int op = nodeOp[chosen];
        int b = bitOf[op];
        int w = b >> 6;
        long bit = 1L << b;
        words[w] |= bit;
        long newHash = linHash ^ zobrist[op];
        int newBase = base;
        while (newBase < tailStart && words[newBase] == -1L) {
          newBase++;
        }
        int newHigh = w < tailStart ? Math.max(high, w) : high;
        long key = newHash * 0x9E3779B97F4A7C15L + model.stateHash(nextState);
        LinearizationCache.Added added = cache.add(key, words, newBase, newHigh, tailStart, tailEnd, nextState);
        if (added == LinearizationCache.Added.NEW) {
          pushes++;
          stackNode[depth] = chosen;
          stackForced[depth] = forced;
          stackState[depth] = state;
          depth++;
          state = nextState;
          linHash = newHash;
          base = newBase;
          high = newHigh;
          // lift the call and its return out of the list
          next[prev[chosen]] = next[chosen];
          if (next[chosen] != -1) {
            prev[next[chosen]] = prev[chosen];
          }
          int r = match[chosen];
          if (r != -1) {
            next[prev[r]] = next[r];
            if (next[r] != -1) {
              prev[next[r]] = prev[r];
            }
          }
          if (depth > bestDepth) {
            for (int i = minDepthSinceBest; i < depth; i++) {
              best[i] = nodeOp[stackNode[i]];
            }
            bestDepth = depth;
            minDepthSinceBest = depth;
            stateAfterBestPrefix = state;
          }
          fresh = true;
          continue;
        }
        words[w] &= ~bit;
        if (added == LinearizationCache.Added.FULL) {
          return finish(Status.OUT_OF_MEMORY, best, count, cache);
        }
        if (forced) {
          backtrack = true; // explored before from here and failed, so this node fails
        } else {
          entry = next[chosen];
          continue;
        }
      }
      if (backtrack) {
        backtrack = false;
        int top;
        do {
          if (depth == 0) {
            return finish(Status.NOT_LINEARIZABLE, best, count, cache);
          }
          depth--;
          backtracks++;
          if (depth < minDepthSinceBest) {
            minDepthSinceBest = depth;
          }
          top = stackNode[depth];
          state = (S) stackState[depth];
          stackState[depth] = null;
          int topOp = nodeOp[top];
          int b = bitOf[topOp];
          int w = b >> 6;
          words[w] &= ~(1L << b);
          linHash ^= zobrist[topOp];
          if (w < base) {
            base = w;
          }
          while (high >= 0 && words[high] == 0) {
            high--;
          }
          // unlift: the return first, then the call
          int r = match[top];
          if (r != -1) {
            next[prev[r]] = r;
            if (next[r] != -1) {
              prev[next[r]] = r;
            }
          }
          next[prev[top]] = top;
          if (next[top] != -1) {
            prev[next[top]] = top;
          }
        } while (stackForced[depth]);
        entry = next[top];
      }
    }
  }

  private Status finish(Status result, int[] best, long count, LinearizationCache cache) {
    status = result;
    bestPrefix = Arrays.copyOf(best, bestDepth);
    iterations = count;
    cacheEntries = cache.size();
    return result;
  }
}
