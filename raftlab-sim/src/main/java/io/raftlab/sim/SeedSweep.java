package io.raftlab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Runs many seeds (each an independent deterministic run) across a few threads. Results come back
 * in seed order, so everything but wall-clock time is the same whatever the thread count.
 */
public final class SeedSweep {

  private final SimOptions options;
  private final long steps;
  private final int threads;

  public SeedSweep(SimOptions options, long steps, int threads) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be in 1..256, got " + threads);
    }
    this.options = options;
    this.steps = steps;
    this.threads = threads;
  }

  /** Totals over a sweep; {@code violations} holds every violating run, in seed order. */
  public record Summary(long seeds, long steps, long coreSteps, long elections, long commits, long clientOk,
      long faults, List<SimResult> violations, long wallNanos) {

    public double stepsPerSecond() {
      return wallNanos == 0 ? 0 : steps * 1e9 / wallNanos;
    }
  }

  /**
   * Runs seeds {@code first .. first+count-1}. {@code progress} receives the number of seeds done
   * so far (from any thread); {@code stopAtFirst} stops handing out new seeds after a violation.
   */
  public Summary run(long first, long count, boolean stopAtFirst, LongConsumer progress) {
    if (count < 1) {
      throw new IllegalArgumentException("seeds must be >= 1, got " + count);
    }
    long start = System.nanoTime();
    AtomicLong next = new AtomicLong(first);
    AtomicLong done = new AtomicLong();
    long end = first + count;
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sim-sweep");
      t.setDaemon(true);
      return t;
    });
    List<Future<List<SimResult>>> futures = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        List<SimResult> mine = new ArrayList<>();
        long seed;
        while (!stop.get() && (seed = next.getAndIncrement()) < end) {
          SimResult r = new Simulation(seed, options).run(steps);
          mine.add(r);
          if (r.violated() && stopAtFirst) {
            stop.set(true);
          }
          if (progress != null) {
            progress.accept(done.incrementAndGet());
          }
        }
        return mine;
      }));
    }
    List<SimResult> all = new ArrayList<>();
    try {
      for (Future<List<SimResult>> f : futures) {
        all.addAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("seed sweep interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("seed sweep failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    all.sort((a, b) -> Long.compare(a.seed(), b.seed()));
    long totalSteps = 0;
    long core = 0;
    long elections = 0;
    long commits = 0;
    long ok = 0;
    long faults = 0;
    List<SimResult> violations = new ArrayList<>();
    for (SimResult r : all) {
      totalSteps += r.steps();
      core += r.coreSteps();
      elections += r.elections();
      commits += r.committed();
      ok += r.clientOk();
      faults += r.faults();
      if (r.violated()) {
        violations.add(r);
      }
    }
    return new Summary(all.size(), totalSteps, core, elections, commits, ok, faults, violations,
        System.nanoTime() - start);
  }
}
