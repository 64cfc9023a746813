package io.raftlab.sim;

import io.raftlab.sim.invariant.InvariantViolation;
import java.util.List;

/**
 * What one seeded run did. {@code steps} counts simulator events (ticks, deliveries, persistence
 * completions, client and fault events); {@code coreSteps} counts {@code RaftNode.step} calls.
 */
public record SimResult(
    long seed,
    SimOptions options,
    long steps,
    long simulatedNanos,
    long elections,
    long committed,
    long coreSteps,
    long messagesSent,
    long messagesDropped,
    long messagesDuplicated,
    long clientOk,
    long clientFail,
    long clientInfo,
    long faults,
    InvariantViolation violation,
    List<String> recentEvents,
    long finalStateDigest) {

  public boolean violated() {
    return violation != null;
  }

  /** The command that replays this run up to the step where it stopped. */
  public String replayCommand() {
    StringBuilder sb = new StringBuilder("raftlab sim --seed ").append(seed).append(" --nodes ")
        .append(options.nodes()).append(" --steps ").append(steps);
    for (String f : options.flagsDifferingFromProfile()) {
      sb.append(' ').append(f);
    }
    return sb.toString();
  }

  /** The violation report: seed, step, property, evidence, replay command and recent events. */
  public String violationReport() {
    if (violation == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("VIOLATION: ").append(violation.property().title()).append('\n');
    sb.append("  seed:     ").append(seed).append('\n');
    sb.append("  step:     ").append(steps).append(String.format(java.util.Locale.ROOT, " (simulated %.3f ms)",
        simulatedNanos / 1e6)).append('\n');
    sb.append("  evidence: ").append(violation.evidence()).append('\n');
    sb.append("  replay:   ").append(replayCommand()).append('\n');
    sb.append("  last ").append(recentEvents.size()).append(" events:\n");
    for (String line : recentEvents) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }
}
