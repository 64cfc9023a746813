package io.raftlab.chaos.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code clients} threads, each with its own {@link KvTarget},
 * each sending its next request as soon as the previous one answered. The first {@code warmup}
 * is not measured; of the measured window only requests that both started and answered inside it
 * count, so throughput is completions per second of the window and no request is half-counted.
 */
public final class LoadGenerator {

  /** How long the generator waits for clients stuck in a call after the window closed. */
  private static final Duration STRAGGLER_GRACE = Duration.ofSeconds(15);

  private final KvSystem system;
  private final Consumer<String> progress;

  /** {@code progress} receives one line per second (stderr in the CLI). */
  public LoadGenerator(KvSystem system, Consumer<String> progress) {
    this.system = system;
    this.progress = progress;
  }

  /**
   * Writes every key of the key space once (so reads find values of the configured size), with
   * up to {@code workers} clients in parallel. Throws if any key could not be written.
   */
  public void preload(BenchOptions o, int workers) throws InterruptedException {
    int n = Math.max(1, Math.min(workers, o.keySpace()));
    AtomicInteger next = new AtomicInteger();
    LongAdder done = new LongAdder();
    List<Throwable> failures = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        String value = randomValue(new SplittableRandom(o.seed() ^ (0x9E3779B97F4A7C15L * (client + 1))), o.valueSize());
        try (KvTarget target = system.open(client)) {
          for (int i = next.getAndIncrement(); i < o.keySpace(); i = next.getAndIncrement()) {
            target.put(o.key(i), value);
            done.increment();
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "bench-preload-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    long started = System.nanoTime();
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(1000);
        if (t.isAlive()) {
          progress.accept(String.format("preload: %d/%d keys written (%.0f s)", done.sum(), o.keySpace(),
              (System.nanoTime() - started) / 1e9));
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("preload failed after " + done.sum() + " of " + o.keySpace() + " keys: "
          + failures.get(0).getMessage(), failures.get(0));
    }
    progress.accept(String.format("preload: %d keys of %d bytes written", o.keySpace(), o.valueSize()));
  }

  /** Runs one setting: warm-up, then the measured window. */
  public BenchResult run(BenchOptions o) throws InterruptedException {
    List<KvTarget> targets = new ArrayList<>();
    try {
      for (int c = 0; c < o.clients(); c++) {
        targets.add(system.open(c));
      }
      return drive(o, targets);
    } finally {
      for (KvTarget t : targets) {
        try {
          t.close();
        } catch (RuntimeException ignored) {
          // closing anyway
        }
      }
    }
  }

  /** What one client thread recorded; read by the generator after join. */
  private static final class ClientTally {
    final Histogram latencyNanos = new Histogram(3);
    final Map<String, Long> errors = new HashMap<>();
  }

  private BenchResult drive(BenchOptions o, List<KvTarget> targets) throws InterruptedException {
    long start = System.nanoTime();
    long measureStart = start + o.warmup().toNanos();
    long measureEnd = measureStart + o.duration().toNanos();
    LongAdder answered = new LongAdder();
    LongAdder failed = new LongAdder();
    List<ClientTally> tallies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < targets.size(); c++) {
      ClientTally tally = new ClientTally();
      tallies.add(tally);
      KvTarget target = targets.get(c);
      SplittableRandom random = new SplittableRandom(o.seed() + 7919L * c);
      Thread t = new Thread(() -> clientLoop(o, target, random, tally, measureStart, measureEnd, answered, failed),
          "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);

    long lastAnswered = 0;
    long lastAt = start;
    while (System.nanoTime() < measureEnd) {
      long sleep = Math.min(TimeUnit.SECONDS.toNanos(1), measureEnd - System.nanoTime());
      TimeUnit.NANOSECONDS.sleep(Math.max(1, sleep));
      long now = System.nanoTime();
      long a = answered.sum();
      String phase = now < measureStart ? "warm-up" : "measuring";
      progress.accept(String.format("%s %d clients: %s %.0f/%.0f s, %,.0f ops/s, %d errors so far",
          o.op().label(), o.clients(), phase, (now - start) / 1e9, (measureEnd - start) / 1e9,
          (a - lastAnswered) * 1e9 / Math.max(1, now - lastAt), failed.sum()));
      lastAnswered = a;
      lastAt = now;
    }
    long graceEnd = System.nanoTime() + STRAGGLER_GRACE.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(graceEnd - System.nanoTime())));
    }
    long stuck = threads.stream().filter(Thread::isAlive).count();
    if (stuck > 0) {
      progress.accept(stuck + " clients still in a call " + STRAGGLER_GRACE.toSeconds() + " s after the window; interrupting them");
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join(5000);
      }
    }

    Histogram all = new Histogram(3);
    Map<String, Long> errors = new HashMap<>();
    for (int c = 0; c < tallies.size(); c++) {
      if (threads.get(c).isAlive()) {
        // Its tally is still being written; what it holds is lost, and the figure says so.
        errors.merge("client stuck in a call after the window", 1L, Long::sum);
        continue;
      }
      all.add(tallies.get(c).latencyNanos); // isAlive() == false orders the thread's writes before this
      tallies.get(c).errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    }
    return BenchResult.of(system.name(), o.op(), o.clients(), measureEnd - measureStart, all, errors);
  }

  private void clientLoop(BenchOptions o, KvTarget target, SplittableRandom random, ClientTally tally,
      long measureStart, long measureEnd, LongAdder answered, LongAdder failed) {
    String value = randomValue(random, o.valueSize());
    double readFraction = o.op().readFraction();
    while (!Thread.currentThread().isInterrupted()) {
      long t0 = System.nanoTime();
      if (t0 >= measureEnd) {
        return;
      }
      String key = o.key(random.nextInt(o.keySpace()));
      boolean read = readFraction >= 1.0 || (readFraction > 0 && random.nextDouble() < readFraction);
      try {
        if (read) {
          target.get(key);
        } else {
          target.put(key, value);
        }
        long t1 = System.nanoTime();
        answered.increment();
        if (t0 >= measureStart && t1 <= measureEnd) {
          tally.latencyNanos.recordValue(t1 - t0);
        }
      } catch (Throwable e) {
        failed.increment();
        // A failure that started in the window counts even if it took until after it (timeouts do).
        if (t0 >= measureStart) {
          tally.errors.merge((read ? "get " : "put ") + system.errorKind(e), 1L, Long::sum);
        }
      }
    }
  }

  static String randomValue(SplittableRandom random, int size) {
    char[] v = new char[size];
    for (int i = 0; i < size; i++) {
      v[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(v);
  }
}
