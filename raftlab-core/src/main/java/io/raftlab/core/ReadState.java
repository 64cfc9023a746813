package io.raftlab.core;

/**
 * A confirmed read point: once the state machine has applied {@code index}, a read for the
 * request identified by {@code context} may be answered linearizably.
 */
public record ReadState(long context, long index) {}
