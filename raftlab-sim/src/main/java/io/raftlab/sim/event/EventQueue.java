package io.raftlab.sim.event;

import java.util.Arrays;

/**
 * The simulated clock: a binary min-heap of events ordered by (time, sequence). The sequence
 * number makes the order total, so a run never depends on heap internals or hash order.
 */
public final class EventQueue {

  // Keys live in primitive arrays beside the events, so sifting compares without chasing pointers.
  private long[] times = new long[256];
  private long[] seqs = new long[256];
  private SimEvent[] events = new SimEvent[256];
  private int size;
  private long nextSeq;
  private long now;

  /** The time of the last event taken (the simulated present). */
  public long now() {
    return now;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Schedules {@code event} at absolute time {@code time}, which may not lie in the past. */
  public void schedule(long time, SimEvent event) {
    if (time < now) {
      throw new IllegalArgumentException("event time " + time + " is before the current time " + now);
    }
    long seq = nextSeq++;
    event.time = time;
    event.seq = seq;
    if (size == events.length) {
      times = Arrays.copyOf(times, size * 2);
      seqs = Arrays.copyOf(seqs, size * 2);
      events = Arrays.copyOf(events, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long pt = times[parent];
      if (pt < time || (pt == time && seqs[parent] < seq)) {
        break;
      }
      times[i] = pt;
      seqs[i] = seqs[parent];
      events[i] = events[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    events[i] = event;
  }

  /** Schedules {@code event} {@code delay} nanoseconds from now. */
  public void after(long delay, SimEvent event) {
    schedule(now + delay, event);
  }

  /** Removes the earliest event and moves the clock to its time. */
  public SimEvent poll() {
    if (size == 0) {
      return null;
    }
    SimEvent top = events[0];
    now = times[0];
    int n = --size;
    long lt = times[n];
    long ls = seqs[n];
    SimEvent last = events[n];
    events[n] = null;
    if (n > 0) {
      int i = 0;
      int half = n >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int right = child + 1;
        if (right < n && (times[right] < times[child] || (times[right] == times[child] && seqs[right] < seqs[child]))) {
          child = right;
        }
        long ct = times[child];
        if (lt < ct || (lt == ct && ls < seqs[child])) {
          break;
        }
        times[i] = ct;
        seqs[i] = seqs[child];
        events[i] = events[child];
        i = child;
      }
      times[i] = lt;
      seqs[i] = ls;
      events[i] = last;
    }
    return top;
  }
}
