package io.raftlab.sim.fault;

import io.raftlab.sim.net.Partition;

/** A fault in force, to be undone when its FAULT_STOP event fires. */
public record ActiveFault(FaultKind kind, int node, Partition partition) {}
