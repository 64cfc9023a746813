package io.raftlab.chaos.net;

import io.raftlab.chaos.net.NetworkFaults.Link;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every change of a network fault, in order, and the listeners told of each (a run writes them to
 * its nemesis and network logs). Shared by the network backends.
 */
public final class FaultLog {

  /** One change of a fault on one link (or on all, for heal-all: link null). */
  public record FaultChange(Instant time, long nanoTime, String action, Link link, String detail) {}

  private final List<FaultChange> changes = new CopyOnWriteArrayList<>();
  private final List<Consumer<FaultChange>> listeners = new CopyOnWriteArrayList<>();

  public void record(String action, Link link, String detail) {
    FaultChange c = new FaultChange(Instant.now(), System.nanoTime(), action, link, detail);
    changes.add(c);
    for (Consumer<FaultChange> l : listeners) {
      l.accept(c);
    }
  }

  /** Changes so far, oldest first. */
  public List<FaultChange> changes() {
    return List.copyOf(changes);
  }

  public void onChange(Consumer<FaultChange> listener) {
    listeners.add(listener);
  }
}
