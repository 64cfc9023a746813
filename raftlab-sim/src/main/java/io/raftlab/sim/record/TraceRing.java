package io.raftlab.sim.record;

import io.raftlab.core.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last few events of a run, kept cheaply (references, no string building) and formatted only
 * when a violation needs them printed.
 */
public final class TraceRing {

  private final long[] steps;
  private final long[] times;
  private final String[] labels;
  private final Object[] details;
  private int next;
  private long count;

  public TraceRing(int capacity) {
    steps = new long[capacity];
    times = new long[capacity];
    labels = new String[capacity];
    details = new Object[capacity];
  }

  /** Records an event; {@code detail} is a Message or a String, formatted lazily. */
  public void add(long step, long time, String label, Object detail) {
    steps[next] = step;
    times[next] = time;
    labels[next] = label;
    details[next] = detail;
    next = (next + 1) % steps.length;
    count++;
  }

  /** The kept events, oldest first. */
  public List<String> lines() {
    int n = (int) Math.min(count, steps.length);
    List<String> out = new ArrayList<>(n);
    int start = count <= steps.length ? 0 : next;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % steps.length;
      out.add(format(steps[i], times[i], labels[i], details[i]));
    }
    return out;
  }

  /** One trace line: simulated time in ms, step number, what happened. */
  public static String format(long step, long time, String label, Object detail) {
    String d = detail instanceof Message m ? m.toString() : String.valueOf(detail);
    return String.format(Locale.ROOT, "[%10.3f ms] #%-7d %-8s %s", time / 1e6, step, label, d);
  }
}
