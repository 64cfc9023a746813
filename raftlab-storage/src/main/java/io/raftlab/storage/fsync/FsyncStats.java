package io.raftlab.storage.fsync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/** Running fsync count and latency; safe to read from a metrics thread while the writer updates it. */
public final class FsyncStats {
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong totalNanos = new AtomicLong();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

  void record(long durationNanos) {
    count.incrementAndGet();
    totalNanos.addAndGet(durationNanos);
    maxNanos.accumulate(durationNanos);
  }

  public long count() {
    return count.get();
  }

  public long totalNanos() {
    return totalNanos.get();
  }

  public long maxNanos() {
    return maxNanos.get();
  }

  /** Mean fsync latency in nanoseconds, 0 before the first fsync. */
  public double meanNanos() {
    long n = count.get();
    return n == 0 ? 0 : (double) totalNanos.get() / n;
  }

  @Override
  public String toString() {
    return String.format("fsyncs=%d mean=%.1fus max=%.1fus", count(), meanNanos() / 1e3, maxNanos() / 1e3);
  }
}
