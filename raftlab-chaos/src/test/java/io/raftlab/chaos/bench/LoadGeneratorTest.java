package io.raftlab.chaos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The closed loop against an in-memory store with a fixed service time, so the figures are predictable. */
class LoadGeneratorTest {

  /**
   * A map behind a 2 ms service time; every 5th put of a client fails with "busy" (often enough
   * that even a measuring window slowed to a few dozen puts by a stalled host sees failures).
   */
  static class SlowMapSystem implements KvSystem {
    final Map<String, String> store = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public String name() {
      return "slow-map";
    }

    @Override
    public KvTarget open(int client) {
      opened.incrementAndGet();
      return new KvTarget() {
        int puts;

        @Override
        public void put(String key, String value) throws Exception {
          serve();
          if (++puts % 5 == 0) {
            throw new IllegalStateException("busy");
          }
          store.put(key, value);
        }

        @Override
        public Optional<String> get(String key) throws Exception {
          serve();
          return Optional.ofNullable(store.get(key));
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }

    private void serve() throws InterruptedException {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      Thread.sleep(2);
      inFlight.decrementAndGet();
    }

    @Override
    public String errorKind(Throwable failure) {
      return failure.getMessage();
    }
  }

  /**
   * The same store answering by future, from a timer thread 2 ms after each request: what a
   * client library with its own network threads looks like to the async driver.
   */
  static final class AsyncSlowMapSystem extends SlowMapSystem {
    final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    final Set<String> callingThreads = ConcurrentHashMap.newKeySet();

    @Override
    public KvTarget open(int client) {
      opened.incrementAndGet();
      return new KvTarget() {
        int puts;

        @Override
        public void put(String key, String value) {
          throw new AssertionError("the async driver must not block");
        }

        @Override
        public Optional<String> get(String key) {
          throw new AssertionError("the async driver must not block");
        }

        @Override
        public boolean async() {
          return true;
        }

        @Override
        public CompletableFuture<Void> putAsync(String key, String value) {
          return later(() -> {
            if (++puts % 5 == 0) {
              throw new IllegalStateException("busy");
            }
            store.put(key, value);
            return null;
          });
        }

        @Override
        public CompletableFuture<Optional<String>> getAsync(String key) {
          return later(() -> Optional.ofNullable(store.get(key)));
        }

        private <T> CompletableFuture<T> later(java.util.concurrent.Callable<T> call) {
          callingThreads.add(Thread.currentThread().getName());
          int now = inFlight.incrementAndGet();
          maxInFlight.accumulateAndGet(now, Math::max);
          CompletableFuture<T> f = new CompletableFuture<>();
          timer.schedule(() -> {
            inFlight.decrementAndGet();
            try {
              f.complete(call.call());
            } catch (Exception e) {
              f.completeExceptionally(e);
            }
          }, 2, java.util.concurrent.TimeUnit.MILLISECONDS);
          return f;
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  private static BenchOptions options(BenchOp op, int clients) {
    return new BenchOptions(op, clients, Duration.ofMillis(200), Duration.ofMillis(800), 8, 256, 100, 7);
  }

  @Test
  void closedLoopKeepsAtMostOneRequestPerClientInFlight() throws Exception {
    SlowMapSystem system = new SlowMapSystem();
    List<String> progress = new ArrayList<>();
    BenchResult r = new LoadGenerator(system, progress::add).run(options(BenchOp.PUT, 4));

    assertThat(system.maxInFlight.get()).isLessThanOrEqualTo(4);
    assertThat(system.opened.get()).isEqualTo(4);
    assertThat(system.closed.get()).isEqualTo(4);
    // 4 clients x 800 ms / (2 ms + scheduling) each: well above 100, at most 1600.
    assertThat(r.operations()).isBetween(100L, 1600L);
    assertThat(r.operationsPerSecond()).isCloseTo(r.operations() / 0.8, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(r.p50Micros()).isGreaterThanOrEqualTo(2000);
    assertThat(r.p50Micros()).isLessThanOrEqualTo(r.p90Micros());
    assertThat(r.p90Micros()).isLessThanOrEqualTo(r.p99Micros());
    assertThat(r.p99Micros()).isLessThanOrEqualTo(r.maxMicros());
    assertThat(progress).isNotEmpty();
  }

  @Test
  void failuresAreCountedByKindAndKeptOutOfTheLatencies() throws Exception {
    SlowMapSystem system = new SlowMapSystem();
    BenchResult r = new LoadGenerator(system, line -> {}).run(options(BenchOp.PUT, 2));

    assertThat(r.errors()).containsOnlyKeys("put busy");
    // One failure per 4 successes, give or take the window edges (one per client at each edge).
    assertThat(r.errorCount()).isBetween(r.operations() / 4 - 3, r.operations() / 4 + 3);
  }

  @Test
  void asyncDriverKeepsEachClientClosedLoopWithoutAThreadPerClient() throws Exception {
    try (AsyncSlowMapSystem system = new AsyncSlowMapSystem()) {
      BenchResult r = new LoadGenerator(system, line -> {}, true).run(options(BenchOp.PUT, 16));

      assertThat(system.maxInFlight.get()).isLessThanOrEqualTo(16);
      // Requests leave from the run's own thread (the first of each client) and the store's timer thread, never from per-client threads.
      assertThat(system.callingThreads).noneMatch(name -> name.startsWith("bench-client-"));
      assertThat(system.callingThreads.size()).isLessThanOrEqualTo(2);
      // 16 clients x 800 ms / (2 ms + timer slack) each: well above 500.
      assertThat(r.operations()).isBetween(500L, 6400L);
      assertThat(r.p50Micros()).isGreaterThanOrEqualTo(2000);
      assertThat(r.errors()).containsOnlyKeys("put busy");
      assertThat(r.errorCount()).isBetween(r.operations() / 4 - 20, r.operations() / 4 + 20);
      assertThat(system.closed.get()).isEqualTo(16);
    }
  }

  @Test
  void preloadWritesEveryKeyOfTheKeySpaceWithValuesOfTheConfiguredSize() throws Exception {
    SlowMapSystem system = new SlowMapSystem() {
      @Override
      public KvTarget open(int client) {
        return new KvTarget() {
          @Override
          public void put(String key, String value) {
            store.put(key, value);
          }

          @Override
          public Optional<String> get(String key) {
            return Optional.ofNullable(store.get(key));
          }

          @Override
          public void close() {}
        };
      }
    };
    BenchOptions o = options(BenchOp.GET, 3);
    new LoadGenerator(system, line -> {}).preload(o, 8);

    assertThat(system.store).hasSize(100);
    assertThat(system.store).containsKey("k0000099");
    assertThat(system.store.values()).allSatisfy(v -> assertThat(v.getBytes(StandardCharsets.UTF_8)).hasSize(256));
  }

  @Test
  void getWorkloadOnlyReadsAndMixedDoesBoth() throws Exception {
    SlowMapSystem system = new SlowMapSystem();
    BenchResult gets = new LoadGenerator(system, line -> {}).run(options(BenchOp.GET, 2));
    assertThat(gets.operations()).isPositive();
    assertThat(system.store).isEmpty();
    assertThat(gets.errors()).isEmpty();

    BenchResult mixed = new LoadGenerator(system, line -> {}).run(options(BenchOp.MIXED, 2));
    assertThat(mixed.operations()).isPositive();
    assertThat(system.store).isNotEmpty();
  }

  @Test
  void keysHaveExactlyTheConfiguredSizeAndTooShortKeysAreRefused() {
    BenchOptions o = options(BenchOp.PUT, 1);
    assertThat(o.key(0)).isEqualTo("k0000000");
    assertThat(o.key(99)).hasSize(8);
    assertThatThrownBy(() -> new BenchOptions(BenchOp.PUT, 1, Duration.ZERO, Duration.ofSeconds(1), 3, 256, 1000, 1))
        .hasMessageContaining("key-size: 3 is outside the allowed range 4..4096");
    assertThatThrownBy(() -> options(BenchOp.PUT, 0)).hasMessageContaining("clients: 0 is outside the allowed range");
  }

  @Test
  void nodeCountersSumLabelledSamplesAndIgnoreOtherMetrics() {
    String text = """
        # HELP raftlab_fsync_seconds fsync latency
        raftlab_fsync_seconds_count{node="n1"} 120.0
        raftlab_fsync_seconds_sum{node="n1"} 0.5
        raftlab_readies_total{node="n1"} 300.0
        raftlab_readies_total_other 9.0
        """;
    Map<String, Double> v = NodeCounters.parse(text);
    assertThat(v).containsEntry("raftlab_fsync_seconds_count", 120.0).containsEntry("raftlab_readies_total", 300.0)
        .doesNotContainKey("raftlab_commits_total");
    Map<String, Map<String, Double>> rates = NodeCounters.rates(
        Map.of("n1", Map.of("raftlab_fsync_seconds_count", 100.0)), Map.of("n1", v), 2.0);
    assertThat(rates.get("n1")).containsEntry("raftlab_fsync_seconds_count", 10.0);
  }
}
