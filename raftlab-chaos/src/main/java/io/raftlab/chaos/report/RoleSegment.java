package io.raftlab.chaos.report;

/**
 * A stretch of time during which a node kept one role and term, built from consecutive samples of
 * states.jsonl. It lasts until the node's next differing sample (or the end of the run).
 *
 * @param node node name
 * @param role the role sampled
 * @param term the term sampled, or -1 when the sample had none
 * @param commit the highest commit index sampled during the stretch, or -1
 * @param startNanos time of the first sample of the stretch
 * @param endNanos time of the next differing sample, or {@link Long#MAX_VALUE} for the last stretch
 */
public record RoleSegment(String node, NodeRole role, long term, long commit, long startNanos, long endNanos) {}
