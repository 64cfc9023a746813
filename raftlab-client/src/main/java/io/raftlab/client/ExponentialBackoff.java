package io.raftlab.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Pause before the n-th retry: base * 2^(n-1), capped at max, then jittered to [d/2, d]. */
record ExponentialBackoff(Duration base, Duration max) {

  long delayNanos(int retry) {
    long baseNanos = base.toNanos();
    long maxNanos = max.toNanos();
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long capped = baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
    long half = capped / 2;
    // Jitter spreads clients that failed together so they do not retry in lockstep.
    return half + ThreadLocalRandom.current().nextLong(capped - half + 1);
  }
}
