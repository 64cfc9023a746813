package io.raftlab.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A hand-driven cluster for core tests: every node's Ready is handled synchronously (persist,
 * send, apply, advance); messages wait in one FIFO queue until the test delivers them, and
 * directed links can be cut. Storage is in memory, so a node can "crash" and restart from what
 * it persisted.
 */
final class TestNetwork {

  final Map<String, RaftNode> nodes = new LinkedHashMap<>();
  final Map<String, List<Entry>> disk = new HashMap<>();
  final Map<String, HardState> hardStates = new HashMap<>();
  final Map<String, List<Entry>> applied = new HashMap<>();
  final Map<String, List<ReadState>> readStates = new HashMap<>();
  final ArrayDeque<Message> queue = new ArrayDeque<>();
  final Set<String> cut = new HashSet<>();
  final List<String> ids;
  private final UnaryOperator<Config.Builder> tweak;
  private long seed = 1;

  TestNetwork(int n) {
    this(n, b -> b);
  }

  TestNetwork(int n, UnaryOperator<Config.Builder> tweak) {
    this.ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("n" + i);
    }
    this.tweak = tweak;
    for (String id : ids) {
      disk.put(id, new ArrayList<>());
      hardStates.put(id, HardState.EMPTY);
      applied.put(id, new ArrayList<>());
      readStates.put(id, new ArrayList<>());
      nodes.put(id, RaftNode.create(config(id), new SplittableRandom(seed++)));
    }
  }

  Config config(String id) {
    return tweak.apply(Config.builder(id, ids).electionTicks(10, 20).heartbeatTicks(1)).build();
  }

  RaftNode node(String id) {
    return nodes.get(id);
  }

  /** Handles every pending Ready of every node. */
  void flush() {
    boolean any = true;
    while (any) {
      any = false;
      for (Map.Entry<String, RaftNode> e : nodes.entrySet()) {
        RaftNode n = e.getValue();
        if (n != null && n.hasReady()) {
          handleReady(e.getKey(), n);
          any = true;
        }
      }
    }
  }

  private void handleReady(String id, RaftNode n) {
    Ready rd = n.ready();
    List<Entry> log = disk.get(id);
    for (Entry e : rd.entries()) {
      while (log.size() >= e.index()) {
        log.remove(log.size() - 1);
      }
      log.add(e);
    }
    if (rd.hardState() != null) {
      hardStates.put(id, rd.hardState());
    }
    queue.addAll(rd.allMessages());
    applied.get(id).addAll(rd.committedEntries());
    readStates.get(id).addAll(rd.readStates());
    n.advance(rd);
  }

  /** Delivers queued messages (and the ones they cause) until the network is quiet. */
  void deliverAll() {
    flush();
    int guard = 0;
    while (!queue.isEmpty()) {
      deliverOne();
      if (++guard > 1_000_000) {
        throw new AssertionError("network never became quiet");
      }
    }
  }

  void deliverOne() {
    Message m = queue.pollFirst();
    if (m == null) {
      return;
    }
    RaftNode to = nodes.get(m.to());
    if (to != null && !cut.contains(m.from() + ">" + m.to())) {
      to.step(m);
    }
    flush();
  }

  /** Removes and returns the queued messages (for tests that inspect what was sent). */
  List<Message> drain() {
    flush();
    List<Message> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }

  void tick(String id, int times) {
    for (int i = 0; i < times; i++) {
      nodes.get(id).tick();
      flush();
    }
  }

  void tickAll(int times) {
    for (int i = 0; i < times; i++) {
      for (RaftNode n : nodes.values()) {
        if (n != null) {
          n.tick();
        }
      }
      deliverAll();
    }
  }

  void isolate(String id) {
    for (String o : ids) {
      if (!o.equals(id)) {
        cut.add(id + ">" + o);
        cut.add(o + ">" + id);
      }
    }
  }

  void heal() {
    cut.clear();
  }

  void crash(String id) {
    nodes.put(id, null);
    queue.removeIf(m -> m.to().equals(id) || m.from().equals(id));
    applied.get(id).clear();
  }

  void restart(String id) {
    nodes.put(id, RaftNode.restart(config(id), new SplittableRandom(seed++), hardStates.get(id), List.copyOf(disk.get(id))));
    flush();
  }

  /** Replaces a node by one restarted from the given persisted term and log terms (indexes from 1). */
  void load(String id, long term, long... logTerms) {
    List<Entry> log = new ArrayList<>();
    for (int i = 0; i < logTerms.length; i++) {
      log.add(Entry.normal(logTerms[i], i + 1, ("e" + (i + 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    disk.put(id, log);
    hardStates.put(id, new HardState(term, null, 0));
    restart(id);
  }

  /** Terms of the node's whole log, index 1 first. */
  List<Long> logTerms(String id) {
    List<Long> out = new ArrayList<>();
    RaftNode n = nodes.get(id);
    for (Entry e : n.entries(1, n.lastIndex() + 1)) {
      out.add(e.term());
    }
    return out;
  }

  /** Forces {@code id} to win an election and delivers everything. */
  RaftNode elect(String id) {
    nodes.get(id).campaign();
    deliverAll();
    return nodes.get(id);
  }

  ProposeResult propose(String id, String data) {
    ProposeResult r = nodes.get(id).propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    deliverAll();
    return r;
  }

  List<String> appliedData(String id) {
    List<String> out = new ArrayList<>();
    for (Entry e : applied.get(id)) {
      if (e.type() == EntryType.NORMAL) {
        out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
