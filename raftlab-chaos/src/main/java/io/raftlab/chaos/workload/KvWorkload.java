package io.raftlab.chaos.workload;

import io.raftlab.chaos.history.HistoryRecorder;
import io.raftlab.chaos.history.HistoryRecorder.Outcome;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.CompareAndSetResult;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.GetResult;
import io.raftlab.client.KvException;
import io.raftlab.client.PutResult;
import io.raftlab.client.RaftlabClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Concurrent clients over a small set of keys doing reads, writes of unique values and
 * compare-and-set, each recording every operation. A client whose operation ended unknown
 * ({@code info}) may still have it in flight, so it carries on as a new process id (Jepsen's
 * convention): a process never has two operations open at once.
 */
public final class KvWorkload implements AutoCloseable {

  private final HistoryRecorder history;
  private final Supplier<List<EndpointAddress>> endpoints;
  private final int clients;
  private final List<String> keys;
  private final long seed;
  private final Duration callTimeout;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  public KvWorkload(HistoryRecorder history, Supplier<List<EndpointAddress>> endpoints, int clients, int keyCount, long seed, Duration callTimeout) {
    this.history = history;
    this.endpoints = endpoints;
    this.clients = clients;
    this.keys = new ArrayList<>();
    for (int i = 1; i <= keyCount; i++) {
      keys.add("k" + i);
    }
    this.seed = seed;
    this.callTimeout = callTimeout;
  }

  public void start() {
    for (int c = 0; c < clients; c++) {
      final int slot = c;
      Thread t = new Thread(() -> runClient(slot), "workload-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void runClient(int slot) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + slot);
    int process = slot;
    long written = 0;
    String[] lastSeen = new String[keys.size()];
    RaftlabClient client = connect();
    try {
      while (!stop.get()) {
        int k = random.nextInt(keys.size());
        String key = keys.get(k);
        double dice = random.nextDouble();
        boolean unknown;
        if (dice < 0.5) {
          unknown = read(client, process, key, lastSeen, k);
        } else if (dice < 0.85) {
          String value = "c" + slot + "-" + (++written);
          unknown = write(client, process, key, value, lastSeen, k);
        } else {
          String value = "c" + slot + "-" + (++written);
          unknown = cas(client, process, key, lastSeen[k], value, lastSeen, k);
        }
        if (unknown) {
          process += clients;
          client.close();
          client = connect(); // a new process gets a new session
        }
      }
    } finally {
      client.close();
    }
  }

  private RaftlabClient connect() {
    ClientOptions opts = ClientOptions.builder().callTimeout(callTimeout).totalDeadline(callTimeout.multipliedBy(3)).build();
    return RaftlabClient.connect(endpoints.get(), opts);
  }

  private boolean read(RaftlabClient client, int process, String key, String[] lastSeen, int k) {
    history.invoke(process, "read", key, null, null);
    try {
      GetResult r = client.get(key);
      history.complete(process, Outcome.OK, "read", key, r.value().orElse(null), r.info().nodeId());
      lastSeen[k] = r.value().orElse(null);
    } catch (KvException e) {
      // A read changes nothing: a failed read is simply a failure.
      history.complete(process, Outcome.FAIL, "read", key, null, node(e));
    }
    return false;
  }

  private boolean write(RaftlabClient client, int process, String key, String value, String[] lastSeen, int k) {
    history.invoke(process, "write", key, value, null);
    try {
      PutResult r = client.put(key, value);
      history.complete(process, Outcome.OK, "write", key, value, r.info().nodeId());
      lastSeen[k] = value;
      return false;
    } catch (KvException e) {
      return failed(process, "write", key, value, e);
    }
  }

  private boolean cas(RaftlabClient client, int process, String key, String expected, String value, String[] lastSeen, int k) {
    List<String> pair = Arrays.asList(expected, value);
    history.invoke(process, "cas", key, pair, null);
    try {
      CompareAndSetResult r = client.compareAndSet(key, expected, value);
      // A compare that did not match changed nothing: Jepsen records it as a failed cas.
      history.complete(process, r.succeeded() ? Outcome.OK : Outcome.FAIL, "cas", key, pair, r.info().nodeId());
      lastSeen[k] = r.succeeded() ? value : r.current().orElse(null);
      return false;
    } catch (KvException e) {
      return failed(process, "cas", key, pair, e);
    }
  }

  private boolean failed(int process, String f, String key, Object value, KvException e) {
    boolean unknown = e.outcome() == KvException.Outcome.UNKNOWN;
    history.complete(process, unknown ? Outcome.INFO : Outcome.FAIL, f, key, value, node(e));
    return unknown;
  }

  private static String node(KvException e) {
    return e.lastAttempt().map(a -> a.endpoint().toString()).orElse(null);
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
