package io.raftlab.chaos.bench;

import java.util.Locale;

/** What the clients do: writes only, linearizable reads only (after a preload), or half of each. */
public enum BenchOp {
  PUT,
  GET,
  MIXED;

  /** The share of requests that are reads. */
  public double readFraction() {
    return switch (this) {
      case PUT -> 0.0;
      case GET -> 1.0;
      case MIXED -> 0.5;
    };
  }

  /** Whether the keys must exist before the measurement (reads of absent keys are cheaper). */
  public boolean needsPreload() {
    return this != PUT;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
