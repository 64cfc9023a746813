package io.raftlab.chaos.report;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the linearizability check concluded about a run, in the report's terms.
 *
 * @param kind linearizable, not, or unknown (timeout / too large)
 * @param model the model the history was checked against ("kv", "register", "cas-register")
 * @param explanation one-line human explanation (the checker's, or why it is unknown)
 * @param conflictIds ids of the operations that cannot all be ordered (empty unless NOT_LINEARIZABLE)
 * @param impossibleId id of the operation that no order can accommodate, or -1
 * @param contextIds ids of the last operations of the longest order the checker could build before
 *     it got stuck (not part of the conflicting set; shown so that a reader sees the state the
 *     impossible operation ran into)
 * @param key the key the violation is on ("" for a single register, null when none)
 * @param elapsed how long the check took
 */
public record RunVerdict(
    Kind kind, String model, String explanation, List<Integer> conflictIds, int impossibleId,
    List<Integer> contextIds, String key, Duration elapsed) {

  public enum Kind {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    UNKNOWN
  }

  public RunVerdict {
    conflictIds = List.copyOf(conflictIds);
    contextIds = List.copyOf(contextIds);
  }

  /** Every highlighted operation: the conflicting set plus the impossible operation. */
  public Set<Integer> highlighted() {
    Set<Integer> ids = new java.util.TreeSet<>(conflictIds);
    if (impossibleId >= 0) {
      ids.add(impossibleId);
    }
    return ids;
  }

  /** "linearizable", "NOT linearizable" or "unknown". */
  public String headline() {
    return switch (kind) {
      case LINEARIZABLE -> "linearizable";
      case NOT_LINEARIZABLE -> "NOT linearizable";
      case UNKNOWN -> "unknown";
    };
  }
}
