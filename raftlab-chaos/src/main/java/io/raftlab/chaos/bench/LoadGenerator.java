package io.raftlab.chaos.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code clients} clients, each with its own {@link KvTarget},
 * each sending its next request as soon as the previous one answered; a thread per client, or,
 * when every target can answer by future ({@link KvTarget#async}), callbacks on the clients'
 * own network threads (as a load generator with many clients on few cores has to). The first {@code warmup}
 * is not measured; of the measured window only requests that both started and answered inside it
 * count, so throughput is completions per second of the window and no request is half-counted.
 */
public final class LoadGenerator {

  /** How long the generator waits for clients stuck in a call after the window closed. */
  private static final Duration STRAGGLER_GRACE = Duration.ofSeconds(15);

  private final KvSystem system;
  private final Consumer<String> progress;
  private final boolean asyncAllowed;

  /** A thread per client. {@code progress} receives one line per second (stderr in the CLI). */
  public LoadGenerator(KvSystem system, Consumer<String> progress) {
    this(system, progress, false);
  }

  /** With {@code asyncAllowed}, targets that answer by future are driven by callbacks. */
  public LoadGenerator(KvSystem system, Consumer<String> progress, boolean asyncAllowed) {
    this.system = system;
    this.progress = progress;
    this.asyncAllowed = asyncAllowed;
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

  /** What one client recorded; read by the generator once the client is done. */
  private static final class ClientTally {
    final Histogram latencyNanos = new Histogram(3);
    final Map<String, Long> errors = new HashMap<>();
    /** Written after the client's last record: reading true makes its records visible. */
    volatile boolean done;
  }

  /** One client's closed loop: what it sends and where it records what came back. */
  private final class ClientLoop {
    final BenchOptions o;
    final KvTarget target;
    final SplittableRandom random;
    final ClientTally tally;
    final long measureStart;
    final long measureEnd;
    final LongAdder answered;
    final LongAdder failed;
    final CountDownLatch finished;
    final String value;
    final double readFraction;

    ClientLoop(BenchOptions o, KvTarget target, SplittableRandom random, ClientTally tally, long measureStart, long measureEnd,
        LongAdder answered, LongAdder failed, CountDownLatch finished) {
      this.o = o;
      this.target = target;
      this.random = random;
      this.tally = tally;
      this.measureStart = measureStart;
      this.measureEnd = measureEnd;
      this.answered = answered;
      this.failed = failed;
      this.finished = finished;
      this.value = randomValue(random, o.valueSize());
      this.readFraction = o.op().readFraction();
    }

    String nextKey() {
      return o.key(random.nextInt(o.keySpace()));
    }

    boolean nextIsRead() {
      return readFraction >= 1.0 || (readFraction > 0 && random.nextDouble() < readFraction);
    }

    /** The thread driver: one blocking request after another on this client's own thread. */
    void runOnThread() {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          long t0 = System.nanoTime();
          if (t0 >= measureEnd) {
            return;
          }
          String key = nextKey();
          boolean read = nextIsRead();
          Throwable failure = null;
          try {
            if (read) {
              target.get(key);
            } else {
              target.put(key, value);
            }
          } catch (Throwable e) {
            failure = e;
          }
          record(t0, read, failure);
        }
      } finally {
        end();
      }
    }

    /**
     * The async driver: sends the next request from the callback of the previous one. A request
     * that is already done when sent (a refusal, say) is recorded in the same loop instead, so a
     * run of them cannot grow the stack.
     */
    void sendNext() {
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= measureEnd) {
          end();
          return;
        }
        String key = nextKey();
        boolean read = nextIsRead();
        CompletableFuture<?> f;
        try {
          f = read ? target.getAsync(key) : target.putAsync(key, value);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
          record(t0, read, failureOf(f));
          continue;
        }
        f.whenComplete((r, e) -> {
          record(t0, read, e == null ? null : unwrap(e));
          sendNext();
        });
        return;
      }
    }

    private void record(long t0, boolean read, Throwable failure) {
      if (failure == null) {
        long t1 = System.nanoTime();
        answered.increment();
        if (t0 >= measureStart && t1 <= measureEnd) {
          tally.latencyNanos.recordValue(t1 - t0);
        }
        return;
      }
      failed.increment();
      // A failure that started in the window counts even if it took until after it (timeouts do).
      if (t0 >= measureStart) {
        tally.errors.merge((read ? "get " : "put ") + system.errorKind(failure), 1L, Long::sum);
      }
    }

    private void end() {
      tally.done = true;
      finished.countDown();
    }
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    try {
      f.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return unwrap(e);
    }
  }

  private static Throwable unwrap(Throwable e) {
    return (e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null ? e.getCause() : e;
  }

  private BenchResult drive(BenchOptions o, List<KvTarget> targets) throws InterruptedException {
    long start = System.nanoTime();
    long measureStart = start + o.warmup().toNanos();
    long measureEnd = measureStart + o.duration().toNanos();
    LongAdder answered = new LongAdder();
    LongAdder failed = new LongAdder();
    CountDownLatch finished = new CountDownLatch(targets.size());
    List<ClientTally> tallies = new ArrayList<>();
    List<ClientLoop> loops = new ArrayList<>();
    for (int c = 0; c < targets.size(); c++) {
      ClientTally tally = new ClientTally();
      tallies.add(tally);
      loops.add(new ClientLoop(o, targets.get(c), new SplittableRandom(o.seed() + 7919L * c), tally, measureStart, measureEnd,
          answered, failed, finished));
    }
    // Every target async: callbacks drive all clients; otherwise a thread per client.
    boolean async = asyncAllowed && !targets.isEmpty() && targets.stream().allMatch(KvTarget::async);
    List<Thread> threads = new ArrayList<>();
    if (async) {
      loops.forEach(ClientLoop::sendNext);
    } else {
      for (int c = 0; c < loops.size(); c++) {
        Thread t = new Thread(loops.get(c)::runOnThread, "bench-client-" + c);
        t.setDaemon(true);
        threads.add(t);
      }
      threads.forEach(Thread::start);
    }

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
    if (!finished.await(STRAGGLER_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
      progress.accept(finished.getCount() + " clients still in a call " + STRAGGLER_GRACE.toSeconds() + " s after the window"
          + (async ? "" : "; interrupting them"));
      threads.forEach(Thread::interrupt);
      finished.await(5, TimeUnit.SECONDS);
    }

    Histogram all = new Histogram(3);
    Map<String, Long> errors = new HashMap<>();
    for (ClientTally tally : tallies) {
      if (!tally.done) {
        // Its tally may still be written; what it holds is lost, and the figure says so.
        errors.merge("client stuck in a call after the window", 1L, Long::sum);
        continue;
      }
      all.add(tally.latencyNanos);
      tally.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    }
    return BenchResult.of(system.name(), o.op(), o.clients(), measureEnd - measureStart, all, errors);
  }

  static String randomValue(SplittableRandom random, int size) {
    char[] v = new char[size];
    for (int i = 0; i < size; i++) {
      v[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(v);
  }
}
