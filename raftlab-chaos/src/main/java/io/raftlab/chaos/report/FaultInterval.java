package io.raftlab.chaos.report;

import java.util.List;

/**
 * One fault from nemesis.jsonl, from its start event to its stop event.
 *
 * @param fault the fault kind as written ("kill", "partition", ...)
 * @param nodes the nodes it affected (may be empty)
 * @param detail free text of the start event (and of the stop event, after " / ")
 * @param startNanos time of the start event
 * @param endNanos time of the stop event, or {@link Long#MAX_VALUE} when it never stopped
 * @param startLine line of the start event in nemesis.jsonl
 */
public record FaultInterval(
    String fault, List<String> nodes, String detail, long startNanos, long endNanos, int startLine) {

  public FaultInterval {
    nodes = List.copyOf(nodes);
    detail = detail == null ? "" : detail;
  }

  /** True when no stop event ended it: it lasts to the end of the run. */
  public boolean openEnded() {
    return endNanos == Long.MAX_VALUE;
  }

  /** Short label, e.g. {@code partition n1,n2}. */
  public String label() {
    return nodes.isEmpty() ? fault : fault + " " + String.join(",", nodes);
  }
}
