package io.raftlab.chaos.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one setting measured: operations that started and answered inside the measured window,
 * their latency percentiles (microseconds, from HdrHistogram, 3 significant digits) and failures
 * by kind. Failures are not in the latency figures.
 */
public record BenchResult(
    String system,
    BenchOp op,
    int clients,
    long measuredNanos,
    long operations,
    double meanMicros,
    long p50Micros,
    long p90Micros,
    long p99Micros,
    long p999Micros,
    long maxMicros,
    Map<String, Long> errors) {

  public BenchResult {
    errors = Map.copyOf(new TreeMap<>(errors));
  }

  static BenchResult of(String system, BenchOp op, int clients, long measuredNanos, Histogram nanos, Map<String, Long> errors) {
    boolean empty = nanos.getTotalCount() == 0;
    return new BenchResult(system, op, clients, measuredNanos, nanos.getTotalCount(),
        empty ? 0 : nanos.getMean() / 1000.0,
        micros(nanos, 50), micros(nanos, 90), micros(nanos, 99), micros(nanos, 99.9),
        empty ? 0 : nanos.getMaxValue() / 1000, errors);
  }

  private static long micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000;
  }

  public double operationsPerSecond() {
    return operations * 1e9 / measuredNanos;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
