package io.raftlab.sim.event;

import io.raftlab.core.Message;

/**
 * One thing that happens at a simulated instant. A single mutable shape for every kind keeps the
 * hot loop free of per-kind allocation and virtual dispatch; {@link #kind} says which fields matter.
 */
public final class SimEvent {

  /** What the event does; the simulator dispatches on this. */
  public enum Kind {
    /** A node's clock ticks ({@code node}). */
    TICK,
    /** The network hands {@code message} to {@code node}. */
    DELIVER,
    /** The in-flight Ready of {@code node} (incarnation {@code aux}) reached disk. */
    PERSIST_DONE,
    /** Client {@code aux} starts its next operation. */
    CLIENT_NEXT,
    /** Client {@code aux}'s request reaches {@code node}. */
    CLIENT_ARRIVE,
    /** Client {@code aux} gives up on operation {@code ref}. */
    CLIENT_TIMEOUT,
    /** The nemesis starts a fault of kind {@code aux}. */
    FAULT_START,
    /** The nemesis ends the fault {@code payload}. */
    FAULT_STOP
  }

  long time;
  long seq;
  public final Kind kind;
  public final int node;
  public final int aux;
  public final long ref;
  public final Message message;
  public final Object payload;

  public SimEvent(Kind kind, int node, int aux, long ref, Message message, Object payload) {
    this.kind = kind;
    this.node = node;
    this.aux = aux;
    this.ref = ref;
    this.message = message;
    this.payload = payload;
  }

  public static SimEvent deliver(int node, Message message) {
    return new SimEvent(Kind.DELIVER, node, 0, 0, message, null);
  }

  /** Simulated time in nanoseconds at which the event fires. */
  public long time() {
    return time;
  }

  /** Tie-breaker: events at the same instant fire in the order they were scheduled. */
  public long seq() {
    return seq;
  }
}
