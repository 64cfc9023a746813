package io.raftlab.chaos.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * One benchmark setting. Keys are {@code keySize} ASCII bytes naming one of {@code keySpace} keys
 * (a letter and a zero-padded number), so {@code keySize} must hold the largest key number. Values
 * are {@code valueSize} ASCII bytes. The defaults (8-byte keys, 256-byte values) are those of
 * etcd's published benchmark.
 */
public record BenchOptions(
    BenchOp op,
    int clients,
    Duration warmup,
    Duration duration,
    int keySize,
    int valueSize,
    int keySpace,
    long seed) {

  public static final int DEFAULT_KEY_SIZE = 8;
  public static final int DEFAULT_VALUE_SIZE = 256;
  public static final int DEFAULT_KEY_SPACE = 1000;
  public static final int MAX_CLIENTS = 4096;

  public BenchOptions {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(duration, "duration");
    if (clients < 1 || clients > MAX_CLIENTS) {
      throw new IllegalArgumentException("clients: " + clients + " is outside the allowed range 1.." + MAX_CLIENTS);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup: " + warmup + " must not be negative");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration: " + duration + " must be positive");
    }
    if (keySpace < 1 || keySpace > 100_000_000) {
      throw new IllegalArgumentException("key-space: " + keySpace + " is outside the allowed range 1..100000000");
    }
    int needed = minKeySize(keySpace);
    if (keySize < needed || keySize > 4096) {
      throw new IllegalArgumentException("key-size: " + keySize + " is outside the allowed range " + needed
          + "..4096 (a key space of " + keySpace + " needs " + needed + " bytes per key)");
    }
    if (valueSize < 0 || valueSize > 1 << 20) {
      throw new IllegalArgumentException("value-size: " + valueSize + " is outside the allowed range 0..1048576");
    }
  }

  /** A letter plus the digits of the largest key number. */
  public static int minKeySize(int keySpace) {
    return 1 + Integer.toString(Math.max(0, keySpace - 1)).length();
  }

  public BenchOptions withClients(int n) {
    return new BenchOptions(op, n, warmup, duration, keySize, valueSize, keySpace, seed);
  }

  /** Key number {@code i} padded to exactly {@code keySize} bytes: "k0000042". */
  public String key(int i) {
    String digits = Integer.toString(i);
    StringBuilder sb = new StringBuilder(keySize).append('k');
    for (int pad = keySize - 1 - digits.length(); pad > 0; pad--) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }
}
