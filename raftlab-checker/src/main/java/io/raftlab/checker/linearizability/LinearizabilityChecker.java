package io.raftlab.checker.linearizability;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.model.Model;
import io.raftlab.checker.model.Partition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decides whether a history is linearizable with respect to a model.
 *
 * <pre>{@code
 * History h = HistoryFormat.AUTO.read(Path.of("history.jsonl"));
 * CheckResult r = LinearizabilityChecker.check(h, new KvModel(), Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Failed operations are dropped; the model splits the rest into independent parts (per key for
 * the kv model), each searched with {@link LinearizabilitySearch} in parallel. The budget is a
 * wall-clock deadline for the whole check, including shrinking a violation to a minimal set: when
 * it runs out the answer is UNKNOWN, never a guess. Memory is bounded by capping each search's
 * cache; a search that reaches the cap also answers UNKNOWN.
 */
public final class LinearizabilityChecker {

  /**
   * Tuning knobs.
   *
   * @param parallelism how many keys are searched at once (at least 1)
   * @param maxCacheBytes the cache memory shared by the concurrent searches
   * @param shrink whether to shrink a violation to a minimal set of operations
   */
  public record Options(int parallelism, long maxCacheBytes, boolean shrink) {
    public Options {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
      }
      if (maxCacheBytes < 1024) {
        throw new IllegalArgumentException("maxCacheBytes must be >= 1024, got " + maxCacheBytes);
      }
    }

    /** All processors, a quarter of the maximum heap for caches, and shrinking on. */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 4, true);
    }

    public Options withParallelism(int p) {
      return new Options(p, maxCacheBytes, shrink);
    }

    public Options withShrink(boolean on) {
      return new Options(parallelism, maxCacheBytes, on);
    }

    public Options withMaxCacheBytes(long bytes) {
      return new Options(parallelism, bytes, shrink);
    }
  }

  private LinearizabilityChecker() {}

  /** Checks {@code history} against {@code model} within {@code budget}, with default options. */
  public static CheckResult check(History history, Model<?> model, Duration budget) {
    return check(history, model, budget, Options.defaults());
  }

  /**
   * Checks {@code history} against {@code model} within {@code budget}.
   *
   * @throws IllegalArgumentException if the model cannot interpret an operation (e.g. a cas
   *     checked as a plain register); the message names the operation and its line
   */
  public static CheckResult check(History history, Model<?> model, Duration budget, Options options) {
    long start = System.nanoTime();
    long deadline = start + Math.max(0, budget.toNanos());
    List<Operation> ops = new ArrayList<>(history.size());
    for (Operation op : history.operations()) {
      String problem = model.unsupported(op);
      if (problem != null) {
        throw new IllegalArgumentException("operation " + op.describe()
            + (op.line() > 0 ? " (line " + op.line() + ")" : "") + ": " + problem);
      }
      if (op.outcome() != Outcome.FAIL) {
        ops.add(op);
      }
    }
    List<Partition<?>> parts = model.partition(ops);
    long cachePerSearch = Math.max(1024, options.maxCacheBytes() / options.parallelism());
    List<LinearizabilitySearch<?>> searches = new ArrayList<>(parts.size());
    for (Partition<?> part : parts) {
      searches.add(newSearch(part, deadline, cachePerSearch, -1));
    }
    runAll(searches, options.parallelism());

    Map<String, KeyResult> perKey = new TreeMap<>();
    String firstViolatingKey = null;
    int firstViolating = -1;
    int unknown = 0;
    String unknownReason = "";
    for (int i = 0; i < parts.size(); i++) {
      LinearizabilitySearch<?> s = searches.get(i);
      Partition<?> part = parts.get(i);
      Verdict v = switch (s.status) {
        case LINEARIZABLE -> Verdict.LINEARIZABLE;
        case NOT_LINEARIZABLE -> Verdict.NOT_LINEARIZABLE;
        case OUT_OF_TIME, OUT_OF_MEMORY -> Verdict.UNKNOWN;
      };
      String reason = switch (s.status) {
        case OUT_OF_TIME -> "time budget of " + budget + " ran out after " + s.iterations + " search steps";
        case OUT_OF_MEMORY -> "search cache reached its cap of " + cachePerSearch + " bytes ("
            + s.cacheEntries + " entries)";
        default -> "";
      };
      perKey.put(part.key(), new KeyResult(part.key(), v, part.operations().size(), reason, s.iterations));
      if (v == Verdict.UNKNOWN) {
        unknown++;
        if (unknownReason.isEmpty()) {
          unknownReason = reason;
        }
      }
      if (v == Verdict.NOT_LINEARIZABLE && (firstViolatingKey == null || part.key().compareTo(firstViolatingKey) < 0)) {
        firstViolatingKey = part.key();
        firstViolating = i;
      }
    }
    Violation violation = null;
    Verdict verdict;
    String reason = "";
    if (firstViolating >= 0) {
      verdict = Verdict.NOT_LINEARIZABLE;
      violation = explain(parts.get(firstViolating), searches.get(firstViolating), deadline, cachePerSearch, options.shrink());
    } else if (unknown > 0) {
      verdict = Verdict.UNKNOWN;
      reason = unknown + " of " + parts.size() + " keys undecided: " + unknownReason;
    } else {
      verdict = Verdict.LINEARIZABLE;
    }
    return new CheckResult(verdict, model.name(), perKey, violation, reason, Duration.ofNanos(System.nanoTime() - start));
  }

  private static <S> LinearizabilitySearch<S> newSearch(Partition<S> part, long deadline, long cacheBytes, int recordFor) {
    return new LinearizabilitySearch<>(part.operations(), part.model(), deadline, cacheBytes, recordFor);
  }

  private static void runAll(List<LinearizabilitySearch<?>> searches, int parallelism) {
    if (parallelism == 1 || searches.size() <= 1) {
      searches.forEach(LinearizabilitySearch::run);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, searches.size()), r -> {
      Thread t = new Thread(r, "linearizability-search");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>(searches.size());
      for (LinearizabilitySearch<?> s : searches) {
        futures.add(pool.submit(s::run));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a search failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static <S> Violation explain(Partition<S> part, LinearizabilitySearch<?> search, long deadline, long cacheBytes, boolean shrink) {
    List<Operation> ops = part.operations();
    List<Operation> prefix = new ArrayList<>(search.bestPrefix.length);
    for (int local : search.bestPrefix) {
      prefix.add(ops.get(local));
    }
    @SuppressWarnings("unchecked")
    String stateAfterPrefix = part.model().describe((S) search.stateAfterBestPrefix);
    Shrinker<S> shrinker = new Shrinker<>(part.model(), deadline, cacheBytes);
    List<Operation> culprit = ops;
    boolean minimal = false;
    if (shrink) {
      culprit = shrinker.shrink(ops, search.blockingOp < 0 ? null : ops.get(search.blockingOp));
      minimal = shrinker.finished;
    }
    // Re-run on the (small) culprit set to single out the impossible operation; then collect the
    // states the object could be in where it had to take effect, in the wider context the shrink
    // started from (so they reflect the real history, not the few operations left).
    Operation impossible = null;
    List<String> possible = List.of();
    LinearizabilitySearch<S> again = new LinearizabilitySearch<>(culprit, part.model(), deadline, cacheBytes, -1);
    if (again.run() == LinearizabilitySearch.Status.NOT_LINEARIZABLE && again.blockingOp >= 0) {
      impossible = culprit.get(again.blockingOp);
      List<Operation> context = shrinker.context.contains(impossible) ? shrinker.context : culprit;
      LinearizabilitySearch<S> record =
          new LinearizabilitySearch<>(context, part.model(), deadline, cacheBytes, context.indexOf(impossible));
      if (record.run() != LinearizabilitySearch.Status.NOT_LINEARIZABLE) {
        record = new LinearizabilitySearch<>(culprit, part.model(), deadline, cacheBytes, again.blockingOp);
        record.run();
      }
      possible = new ArrayList<>(record.rejectedStates.stream().map(String::valueOf).toList());
    } else if (search.blockingOp >= 0 && culprit == ops) {
      impossible = ops.get(search.blockingOp);
    }
    return new Violation(part.key(), culprit, minimal, prefix, stateAfterPrefix, impossible, possible);
  }
}
