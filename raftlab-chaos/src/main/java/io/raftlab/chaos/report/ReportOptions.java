package io.raftlab.chaos.report;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to build a report.
 *
 * @param checkTimeout how long the linearizability check may run before the verdict is "unknown"
 * @param model the model to check against: kv, register or cas-register
 */
public record ReportOptions(Duration checkTimeout, String model) {
  public static final List<String> MODELS = List.of("kv", "register", "cas-register");

  public ReportOptions {
    Objects.requireNonNull(checkTimeout, "checkTimeout");
    Objects.requireNonNull(model, "model");
    if (checkTimeout.isNegative() || checkTimeout.isZero()) {
      throw new IllegalArgumentException("check timeout must be positive, got " + checkTimeout);
    }
    if (!MODELS.contains(model)) {
      throw new IllegalArgumentException("unknown model '" + model + "'; allowed: " + String.join(", ", MODELS));
    }
  }

  /** 30 seconds, kv model. */
  public static ReportOptions defaults() {
    return new ReportOptions(Duration.ofSeconds(30), "kv");
  }
}
