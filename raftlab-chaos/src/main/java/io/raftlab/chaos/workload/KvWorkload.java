package io.raftlab.chaos.workload;

import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.OpResult;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.history.HistoryRecorder;
import io.raftlab.chaos.history.HistoryRecorder.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent clients of any {@link Implementation} over a small set of keys doing reads, writes of
 * unique values and compare-and-set, each recording every operation. A client whose operation
 * ended unknown ({@code info}) may still have it in flight, so it carries on as a new process id
 * with a new session (Jepsen's convention): a process never has two operations open at once.
 *
 * <p>{@link Mode#STANDARD} clients follow the leader. {@link Mode#DIABOLICAL} clients pin each
 * operation to a node a {@link NodeChooser} picks: not the last known leader, preferably a node
 * just restarted or resumed (the run reports those through {@link #noteRestart}).
 */
public final class KvWorkload implements AutoCloseable {

  public enum Mode { STANDARD, DIABOLICAL }

  /**
   * @param keyPrefix keys are keyPrefix1..keyPrefixN
   * @param processBase the first process id; clients use processBase + slot + k * clients
   */
  public record Options(int clients, int keys, String keyPrefix, long seed, Duration callTimeout, Mode mode, int processBase) {
    public static Options standard(int clients, int keys, long seed, Duration callTimeout) {
      return new Options(clients, keys, "k", seed, callTimeout, Mode.STANDARD, 0);
    }
  }

  /** How long after a restart or resume a node counts as "just back". */
  static final Duration RECENT = Duration.ofSeconds(3);

  private final HistoryRecorder history;
  private final Implementation implementation;
  private final ClusterUnderTest cluster;
  private final Options options;
  private final List<String> keys;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, Long> backAt = new ConcurrentHashMap<>();
  private final NodeChooser chooser = new NodeChooser(RECENT, 0.8);
  private volatile String lastLeader;

  public KvWorkload(HistoryRecorder history, Implementation implementation, ClusterUnderTest cluster, Options options) {
    this.history = history;
    this.implementation = implementation;
    this.cluster = cluster;
    this.options = options;
    this.keys = new ArrayList<>();
    for (int i = 1; i <= options.keys(); i++) {
      keys.add(options.keyPrefix() + i);
    }
  }

  /** Tells the workload that {@code node} was just restarted or resumed. */
  public void noteRestart(String node) {
    backAt.put(node, System.nanoTime());
  }

  /** Tells the workload who leads now, as far as the run knows. */
  public void noteLeader(String node) {
    lastLeader = node;
  }

  public void start() {
    for (int c = 0; c < options.clients(); c++) {
      final int slot = c;
      Thread t = new Thread(() -> runClient(slot), "workload-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    if (options.mode() == Mode.DIABOLICAL) {
      Thread t = new Thread(this::watchLeader, "workload-leader-watch");
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void watchLeader() {
    while (!stop.get()) {
      cluster.leader(Duration.ofMillis(500)).ifPresent(l -> lastLeader = l);
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void runClient(int slot) {
    SplittableRandom random = new SplittableRandom(options.seed() * 1_000_003L + slot);
    int process = options.processBase() + slot;
    long written = 0;
    String[] lastSeen = new String[keys.size()];
    Sessions sessions = new Sessions();
    try {
      while (!stop.get()) {
        int k = random.nextInt(keys.size());
        String key = keys.get(k);
        double dice = random.nextDouble();
        KvClient client = sessions.next(random);
        boolean unknown;
        if (dice < 0.5) {
          OpResult r = record(process, "read", key, null, () -> client.read(key));
          if (r.outcome() == OpResult.Outcome.OK) {
            lastSeen[k] = r.value();
          }
          unknown = false;
        } else if (dice < 0.85) {
          String value = "c" + slot + "-" + (++written);
          OpResult r = record(process, "write", key, value, () -> client.write(key, value));
          if (r.outcome() == OpResult.Outcome.OK) {
            lastSeen[k] = value;
          }
          unknown = r.outcome() == OpResult.Outcome.INFO;
        } else {
          String value = "c" + slot + "-" + (++written);
          String expected = lastSeen[k];
          OpResult r = record(process, "cas", key, Arrays.asList(expected, value), () -> client.cas(key, expected, value));
          if (r.outcome() == OpResult.Outcome.OK) {
            lastSeen[k] = value;
          } else if (r.outcome() == OpResult.Outcome.FAIL && r.value() != null) {
            lastSeen[k] = r.value();
          }
          unknown = r.outcome() == OpResult.Outcome.INFO;
        }
        if (unknown) {
          process += options.clients();
          sessions.closeAll(); // a new process gets new sessions
        }
      }
    } finally {
      sessions.closeAll();
    }
  }

  /**
   * Runs one operation and records its invocation and completion. A read that did not end OK
   * changed nothing, so it is a failure even when its outcome is unknown.
   */
  private OpResult record(int process, String f, String key, Object value, java.util.function.Supplier<OpResult> op) {
    history.invoke(process, f, key, value, null);
    OpResult r;
    try {
      r = op.get();
    } catch (RuntimeException e) {
      r = OpResult.unknown(null, e.toString()); // an adapter bug must not hide a possibly applied write
    }
    Outcome o = switch (r.outcome()) {
      case OK -> Outcome.OK;
      case FAIL -> Outcome.FAIL;
      case INFO -> f.equals("read") ? Outcome.FAIL : Outcome.INFO;
    };
    Object completed = f.equals("read") ? (o == Outcome.OK ? r.value() : null) : value;
    history.complete(process, o, f, key, completed, r.node());
    return r.outcome() == OpResult.Outcome.INFO && f.equals("read") ? OpResult.fail(null, r.node(), r.error()) : r;
  }

  /** The client sessions of one workload client: one following the leader, or one pinned per node address. */
  private final class Sessions {
    private KvClient standard;
    private final Map<String, KvClient> pinned = new HashMap<>();

    KvClient next(SplittableRandom random) {
      if (options.mode() == Mode.STANDARD) {
        if (standard == null) {
          standard = implementation.client(cluster, ClientRoute.standard(cluster.nodes(), options.callTimeout()));
        }
        return standard;
      }
      String node = chooser.choose(cluster.nodes(), cluster::isRunning, lastLeader, backAt, System.nanoTime(), random);
      // Keyed by address too: a restarted node may listen on a new port.
      String key = node + "@" + cluster.clientAddress(node).orElse("-");
      return pinned.computeIfAbsent(key, k -> implementation.client(cluster, ClientRoute.pinned(node, options.callTimeout())));
    }

    void closeAll() {
      if (standard != null) {
        standard.close();
        standard = null;
      }
      pinned.values().forEach(KvClient::close);
      pinned.clear();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      if (t.getName().equals("workload-leader-watch")) {
        t.interrupt(); // only the watcher: an interrupted client call would end as a false unknown
      }
      t.join(30_000);
    }
  }
}
