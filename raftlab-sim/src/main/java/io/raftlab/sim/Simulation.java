package io.raftlab.sim;

import io.raftlab.core.Config;
import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import io.raftlab.core.InvalidMessageException;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.ProposeResult;
import io.raftlab.core.RaftNode;
import io.raftlab.core.ReadRequestResult;
import io.raftlab.core.ReadState;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import io.raftlab.sim.client.ClientOp;
import io.raftlab.sim.client.SimulatedClient;
import io.raftlab.sim.event.EventQueue;
import io.raftlab.sim.event.SimEvent;
import io.raftlab.sim.event.SimEvent.Kind;
import io.raftlab.sim.fault.ActiveFault;
import io.raftlab.sim.fault.FaultKind;
import io.raftlab.sim.invariant.InvariantChecker;
import io.raftlab.sim.invariant.InvariantViolation;
import io.raftlab.sim.invariant.Property;
import io.raftlab.sim.kv.KvCommand;
import io.raftlab.sim.kv.KvStore;
import io.raftlab.sim.net.Partition;
import io.raftlab.sim.net.SimulatedNetwork;
import io.raftlab.sim.node.SimulatedNode;
import io.raftlab.sim.record.RunRecorder;
import io.raftlab.sim.record.TraceRing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One deterministic run of a Raft cluster: N core nodes on a simulated clock, a faulty network,
 * modelled disks, clients and a nemesis, all driven by one seeded generator. Nothing reads the wall
 * clock or global randomness, so a seed and {@link SimOptions} fix the whole run; the run stops
 * after a given number of events (steps) or at the first invariant violation.
 *
 * <p>Persistence: a Ready that must persist completes after a random delay; only then are its
 * messages sent and its committed entries applied. One Ready per node is in flight at a time (the
 * node keeps being ticked and stepped meanwhile). A crash discards the Ready in flight and restarts
 * the node from its disk.
 */
public final class Simulation {

  private static final int TRACE_CAPACITY = 50;

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final EventQueue queue = new EventQueue();
  private final SimulatedNetwork network;
  private final SimulatedNode[] nodes;
  private final String[] names;
  private final Map<String, Integer> indexOf = new HashMap<>();
  private final SimulatedClient[] clients;
  private final InvariantChecker checker;
  private final TraceRing ring = new TraceRing(TRACE_CAPACITY);
  private Consumer<String> traceOut;
  private RunRecorder recorder;

  private long step;
  private long coreSteps;
  private long invalidMessages;
  private long opIds;
  private long readContexts;
  private long nextValue;
  private long ok;
  private long failed;
  private long info;
  private long faults;
  private int partitionsInForce;
  private final long[] lastValueSeen;

  public Simulation(long seed, SimOptions options) {
    this(seed, options, true);
  }

  /** {@code checking=false} runs without any invariant check (used to measure what checks cost). */
  public Simulation(long seed, SimOptions options, boolean checking) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed);
    int n = options.nodes();
    names = new String[n];
    List<String> members = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names[i] = "n" + (i + 1);
      members.add(names[i]);
      indexOf.put(names[i], i);
    }
    network = new SimulatedNetwork(n, queue, random.split(), options.dropRate(), options.dupRate(),
        options.delayMinMicros() * 1_000L, options.delayMaxMicros() * 1_000L, options.longDelayRate(),
        options.longDelayMaxMillis() * 1_000_000L);
    checker = checking ? new InvariantChecker(names, options.skippedChecks()) : null;
    Config base = options.coreConfig(members);
    nodes = new SimulatedNode[n];
    long tick = options.tickMillis() * 1_000_000L;
    for (int i = 0; i < n; i++) {
      // Each node's clock runs a little fast or slow, fixed for the run.
      double skew = 1 + options.clockSkew() * (2 * random.nextDouble() - 1);
      SimulatedNode node = new SimulatedNode(i, base.forMember(names[i]), Math.max(1, (long) (tick * skew)),
          options.keys());
      node.raft = RaftNode.create(node.config, random.split());
      nodes[i] = node;
      if (checker != null) {
        checker.attach(i, node);
      }
    }
    clients = new SimulatedClient[options.clients()];
    for (int c = 0; c < clients.length; c++) {
      clients[c] = new SimulatedClient(c, clients.length);
    }
    lastValueSeen = new long[options.keys()];
  }

  /** Prints every event (except bare ticks) as it happens. */
  public Simulation traceTo(Consumer<String> out) {
    this.traceOut = out;
    return this;
  }

  /** Records history, nemesis and state files for a run directory. */
  public Simulation recordTo(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  // ==================================================================== the loop

  /** Runs until {@code maxSteps} events have fired or an invariant is violated. */
  public SimResult run(long maxSteps) {
    if (maxSteps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + maxSteps);
    }
    for (SimulatedNode node : nodes) {
      queue.schedule(random.nextLong(node.tickNanos), new SimEvent(Kind.TICK, node.index, node.incarnation, 0, null, null));
      sample(node);
    }
    for (SimulatedClient c : clients) {
      queue.schedule(random.nextLong(10_000_000L), new SimEvent(Kind.CLIENT_NEXT, -1, c.index, 0, null, null));
    }
    scheduleFault(FaultKind.KILL, options.killRate());
    scheduleFault(FaultKind.PAUSE, options.pauseRate());
    if (nodes.length > 1) {
      scheduleFault(FaultKind.PARTITION, options.partitionRate());
      scheduleFault(FaultKind.TRANSFER, options.transferRate());
    }
    InvariantViolation violation = null;
    while (step < maxSteps) {
      SimEvent ev = queue.poll();
      if (ev == null) {
        break;
      }
      step++;
      try {
        dispatch(ev);
      } catch (InvariantViolation v) {
        violation = v;
        trace("VIOLATION", v.getMessage());
        break;
      } catch (RuntimeException e) {
        // An exception out of the core is a finding too: report it like a violation.
        StackTraceElement[] at = e.getStackTrace();
        violation = new InvariantViolation(Property.CORE_CONTRACT, "exception " + e
            + (at.length > 0 ? " at " + at[0] : "") + (at.length > 1 ? " <- " + at[1] : ""));
        trace("VIOLATION", violation.getMessage());
        break;
      }
    }
    long digest = 0;
    for (SimulatedNode node : nodes) {
      for (Entry e : node.disk()) {
        digest = digest * 31 + e.hashCode();
      }
      digest = digest * 31 + node.hardState().hashCode();
    }
    return new SimResult(seed, options, step, queue.now(), checker == null ? 0 : checker.elections(),
        checker == null ? maxCommit() : checker.committed(), coreSteps, network.sent(), network.dropped(),
        network.duplicated(), ok, failed, info, faults, violation, violation == null ? List.of() : ring.lines(), digest);
  }

  private long maxCommit() {
    long m = 0;
    for (SimulatedNode node : nodes) {
      m = Math.max(m, node.hardState().commit());
    }
    return m;
  }

  private void dispatch(SimEvent ev) {
    switch (ev.kind) {
      case TICK -> onTick(ev);
      case DELIVER -> onDeliver(ev);
      case PERSIST_DONE -> onPersistDone(ev);
      case CLIENT_NEXT -> onClientNext(clients[ev.aux]);
      case CLIENT_ARRIVE -> onClientArrive(ev);
      case CLIENT_TIMEOUT -> onClientTimeout(ev);
      case FAULT_START -> onFaultStart(FaultKind.values()[ev.aux]);
      case FAULT_STOP -> onFaultStop((ActiveFault) ev.payload);
    }
  }

  // ==================================================================== nodes

  private void onTick(SimEvent ev) {
    SimulatedNode node = nodes[ev.node];
    if (!node.up || ev.aux != node.incarnation) {
      return; // the tick chain of a crashed life ends here; restart starts a new one
    }
    queue.after(node.tickNanos, new SimEvent(Kind.TICK, node.index, node.incarnation, 0, null, null));
    if (node.paused) {
      return; // a frozen process misses its ticks
    }
    node.raft.tick();
    afterInput(node);
  }

  private void onDeliver(SimEvent ev) {
    Message m = ev.message;
    if (!network.arrives(ev)) {
      trace("cut", m);
      return;
    }
    SimulatedNode node = nodes[ev.node];
    if (!node.up) {
      trace("lost", m);
      return;
    }
    if (node.paused) {
      node.stash.add(ev);
      return;
    }
    trace("deliver", m);
    coreSteps++;
    try {
      node.raft.step(m);
    } catch (InvalidMessageException e) {
      invalidMessages++;
      trace("refused", m + " (" + e.getMessage() + ")");
    }
    afterInput(node);
  }

  private void onPersistDone(SimEvent ev) {
    SimulatedNode node = nodes[ev.node];
    if (!node.up || ev.aux != node.incarnation || node.inflight == null) {
      return; // the write died with the crash
    }
    if (node.paused) {
      node.stash.add(ev);
      return;
    }
    Ready ready = node.inflight;
    if (node.inflightDiesBeforeWrite) {
      // The candidate's vote requests left, grants may have come back; its own term and vote never land.
      crashForAWhile(node, FaultKind.CRASH_BEFORE_VOTE_WRITE);
      return;
    }
    node.inflight = null;
    node.persist(ready);
    if (traceOut != null) {
      trace("persist", node.id + " entries=" + ready.entries() + (ready.hardState() == null ? "" : " " + ready.hardState()));
    }
    if (node.inflightDiesBeforeSend) {
      // The leader's new entries are on its disk only: it dies before any message of this Ready leaves.
      crashForAWhile(node, FaultKind.CRASH_BEFORE_SEND);
      return;
    }
    handlePersisted(node, ready);
    afterInput(node);
  }

  /**
   * Called after anything that may have changed a node: checks its role, then takes Readies until
   * one must wait for the disk.
   */
  private void afterInput(SimulatedNode node) {
    observe(node);
    while (node.up && node.inflight == null && node.raft.hasReady()) {
      long commitBefore = node.hardState().commit();
      Ready ready = node.raft.ready();
      boolean leader = node.raft.role() == Role.LEADER;
      if (checker != null) {
        long term = node.raft.term();
        checker.entriesEmitted(node.index, ready.entries(), leader, term);
        if (ready.hardState() != null) {
          checker.commitSeen(node.index, ready.hardState().commit(), term);
        }
      }
      if (leader && ready.hardState() != null && ready.hardState().commit() > commitBefore
          && options.crashOnCommitRate() > 0 && random.nextDouble() < options.crashOnCommitRate()) {
        // The leader dies the moment it decides to commit: nothing of this Ready reaches disk or wire.
        crashForAWhile(node, FaultKind.CRASH_ON_COMMIT);
        return;
      }
      // The leader will die right after this write, before anything of it leaves (its early
      // messages are lost on the way): its new entries end up on its own disk only.
      boolean dieBeforeSend = options.crashBeforeSendRate() > 0 && !ready.entries().isEmpty() && leader
          && random.nextDouble() < options.crashBeforeSendRate();
      if (!dieBeforeSend) {
        // A leader's appends and heartbeats leave while its own write is in flight (§10.2.1).
        sendAll(node, ready.earlyMessages());
      }
      if (ready.mustPersist()) {
        node.inflight = ready;
        node.inflightDiesBeforeSend = dieBeforeSend;
        node.inflightDiesBeforeWrite = options.crashBeforeVoteWriteRate() > 0 && ready.hardState() != null
            && node.raft.role() == Role.CANDIDATE && node.id.equals(ready.hardState().vote())
            && random.nextDouble() < options.crashBeforeVoteWriteRate();
        long delay = options.persistMinMicros() * 1_000L
            + random.nextLong((options.persistMaxMicros() - options.persistMinMicros()) * 1_000L + 1);
        queue.after(delay, new SimEvent(Kind.PERSIST_DONE, node.index, node.incarnation, 0, null, null));
        break;
      }
      handlePersisted(node, ready);
      observe(node);
    }
    if (node.up && node.inflight != null) {
      // As the server does: heartbeats and their responses leave while a write is in flight.
      sendAll(node, node.raft.takeHeartbeats());
    }
  }

  /** The Ready is on disk: send its messages, apply its committed entries, answer reads, advance. */
  private void handlePersisted(SimulatedNode node, Ready ready) {
    boolean crashAfter = sendAll(node, ready.messages());
    for (Entry e : ready.committedEntries()) {
      apply(node, e);
    }
    for (ReadState rs : ready.readStates()) {
      readPointFixed(node, rs);
    }
    node.raft.advance(ready);
    if (crashAfter) {
      faults++;
      crash(node, FaultKind.CRASH_AFTER_VOTE);
      long down = 1_000_000L + random.nextLong(options.tickMillis() * 1_000_000L);
      queue.after(down, new SimEvent(Kind.FAULT_STOP, node.index, 0, 0, null,
          new ActiveFault(FaultKind.CRASH_AFTER_VOTE, node.index, null)));
    }
  }

  /** Sends {@code messages}; true if one of them was a granted vote after which the node should crash. */
  private boolean sendAll(SimulatedNode node, List<Message> messages) {
    boolean crashAfter = false;
    for (Message m : messages) {
      Integer to = indexOf.get(m.to());
      if (to == null) {
        throw new InvariantViolation(Property.CORE_CONTRACT, node.id + " sent a message to unknown node: " + m);
      }
      network.send(node.index, to, m);
      if (m.type() == MessageType.VOTE_RESPONSE && !m.reject() && options.crashAfterVoteRate() > 0
          && random.nextDouble() < options.crashAfterVoteRate()) {
        crashAfter = true;
      }
    }
    return crashAfter;
  }

  private void apply(SimulatedNode node, Entry e) {
    boolean effect = false;
    if (e.type() == EntryType.NORMAL && e.data().length > 0) {
      effect = node.kv.apply(KvCommand.decode(e.data()));
    }
    node.applied = e.index();
    if (checker != null) {
      checker.applied(node.index, e, node.kv.digest(), node.raft.term());
    }
    ClientOp op = node.writesByIndex.remove(e.index());
    if (op != null && !op.done) {
      if (op.term == e.term()) {
        if (checker != null) {
          checker.writeAcked(node.index, e.index(), e.term(), node.raft.term());
        }
        if (effect) {
          lastValueSeen[op.key] = op.value;
        }
        complete(op, effect ? "ok" : "fail", null);
      } else {
        // Another entry took the slot: this proposal can never commit.
        complete(op, "fail", null);
      }
    }
    if (!node.readsAwaitingApply.isEmpty()) {
      Iterator<ClientOp> it = node.readsAwaitingApply.iterator();
      while (it.hasNext()) {
        ClientOp r = it.next();
        if (r.readIndex <= node.applied) {
          it.remove();
          answerRead(node, r);
        }
      }
    }
  }

  private void readPointFixed(SimulatedNode node, ReadState rs) {
    ClientOp op = node.readsByContext.remove(rs.context());
    if (op == null || op.done) {
      return;
    }
    op.readIndex = rs.index();
    if (checker != null) {
      checker.readIndexed(node.index, rs.context(), rs.index(), op.watermark, "process " + op.process);
    }
    if (node.applied >= rs.index()) {
      answerRead(node, op);
    } else {
      node.readsAwaitingApply.add(op);
    }
  }

  private void answerRead(SimulatedNode node, ClientOp op) {
    if (op.done) {
      return;
    }
    Long value = node.kv.get(op.key);
    if (checker != null) {
      checker.readAnswered(op.readIndex);
    }
    if (value != null) {
      lastValueSeen[op.key] = value;
    }
    complete(op, "ok", value);
  }

  /** Checks a node's role and records state changes; called after every event that touched it. */
  private void observe(SimulatedNode node) {
    if (!node.up) {
      return;
    }
    RaftNode raft = node.raft;
    Role role = raft.role();
    long term = raft.term();
    if (checker != null) {
      checker.observe(node.index, role, term);
    }
    if (role != node.sampledRole || term != node.sampledTerm || raft.commitIndex() != node.sampledCommit
        || !node.sampledUp) {
      if (role != node.sampledRole || term != node.sampledTerm) {
        trace("state", node.id + " is " + role + " in term " + term);
      }
      sample(node);
    }
  }

  private void sample(SimulatedNode node) {
    if (node.up) {
      node.sampledRole = node.raft.role();
      node.sampledTerm = node.raft.term();
      node.sampledCommit = node.raft.commitIndex();
    }
    node.sampledUp = node.up;
    if (recorder != null) {
      recorder.state(queue.now(), node.id, node.up ? node.sampledRole.name() : "DOWN",
          node.up ? node.sampledTerm : node.hardState().term(), node.up ? node.sampledCommit : node.hardState().commit());
    }
  }

  // ==================================================================== clients

  private void onClientNext(SimulatedClient client) {
    double u = random.nextDouble();
    ClientOp.Fn fn = u < options.readFraction() ? ClientOp.Fn.READ
        : u < options.readFraction() + options.casFraction() ? ClientOp.Fn.CAS : ClientOp.Fn.WRITE;
    int key = random.nextInt(options.keys());
    long value = fn == ClientOp.Fn.READ ? 0 : ++nextValue;
    long expected = 0;
    if (fn == ClientOp.Fn.CAS) {
      expected = lastValueSeen[key] != 0 && random.nextInt(4) != 0 ? lastValueSeen[key]
          : 1 + random.nextLong(Math.max(1, nextValue - 1));
    }
    int target = client.leaderHint >= 0 && random.nextInt(4) != 0 ? client.leaderHint : random.nextInt(nodes.length);
    ClientOp op = new ClientOp(++opIds, client.index, client.process(), fn, key, value, expected, queue.now());
    op.node = target;
    if (fn == ClientOp.Fn.READ && checker != null) {
      op.watermark = checker.readWatermark();
    }
    client.current = op;
    Object shown = fn == ClientOp.Fn.READ ? null : fn == ClientOp.Fn.CAS ? new long[] {expected, value} : (Object) value;
    if (recorder != null) {
      recorder.history(op.process, "invoke", fn.json(), KvCommand.keyName(key), shown, op.invokedAt, names[target]);
    }
    trace("invoke", new OpNote(op, names[target], null, true));
    queue.after(100_000L + random.nextLong(900_000L), new SimEvent(Kind.CLIENT_ARRIVE, target, client.index, op.id, null, null));
  }

  /** Arms the client's timeout, counted from invocation; only ops left waiting need one. */
  private void armTimeout(ClientOp op) {
    long at = Math.max(queue.now(), op.invokedAt + options.clientTimeoutMillis() * 1_000_000L);
    queue.schedule(at, new SimEvent(Kind.CLIENT_TIMEOUT, op.node, op.client, op.id, null, null));
  }

  private void onClientArrive(SimEvent ev) {
    SimulatedClient client = clients[ev.aux];
    ClientOp op = client.current;
    if (op == null || op.id != ev.ref || op.done) {
      return;
    }
    SimulatedNode node = nodes[ev.node];
    if (!node.up) {
      complete(op, "fail", null); // connection refused: nothing was proposed
      return;
    }
    if (node.paused) {
      node.stash.add(ev);
      armTimeout(op);
      return;
    }
    if (op.fn == ClientOp.Fn.READ) {
      op.context = ++readContexts;
      ReadRequestResult r = node.raft.readIndex(op.context);
      if (r == ReadRequestResult.NO_LEADER) {
        client.leaderHint = -1;
        complete(op, "fail", null);
      } else {
        node.readsByContext.put(op.context, op);
        armTimeout(op);
      }
    } else {
      KvCommand cmd = new KvCommand(op.fn == ClientOp.Fn.WRITE ? KvCommand.Op.WRITE : KvCommand.Op.CAS, op.key,
          op.process, (int) op.id, op.value, op.expected);
      ProposeResult r = node.raft.propose(cmd.encode());
      if (r.accepted()) {
        op.index = r.index();
        op.term = r.term();
        node.writesByIndex.put(r.index(), op);
        client.leaderHint = node.index;
        armTimeout(op);
      } else {
        Integer hint = r.leader() == null ? null : indexOf.get(r.leader());
        client.leaderHint = hint == null ? -1 : hint;
        complete(op, "fail", null);
      }
    }
    afterInput(node);
  }

  private void onClientTimeout(SimEvent ev) {
    ClientOp op = clients[ev.aux].current;
    if (op == null || op.id != ev.ref || op.done) {
      return;
    }
    SimulatedNode node = nodes[op.node];
    forget(node, op);
    clients[ev.aux].leaderHint = -1;
    // A write may still commit later: its outcome is unknown. A read changed nothing.
    complete(op, op.fn == ClientOp.Fn.READ ? "fail" : "info", null);
  }

  private static void forget(SimulatedNode node, ClientOp op) {
    if (op.fn == ClientOp.Fn.READ) {
      node.readsByContext.remove(op.context);
      node.readsAwaitingApply.remove(op);
    } else if (op.index > 0 && node.writesByIndex.get(op.index) == op) {
      node.writesByIndex.remove(op.index);
    }
  }

  private void complete(ClientOp op, String type, Long readValue) {
    op.done = true;
    switch (type) {
      case "ok" -> ok++;
      case "fail" -> failed++;
      default -> info++;
    }
    SimulatedClient client = clients[op.client];
    if (recorder != null) {
      Object value = op.fn == ClientOp.Fn.READ ? readValue
          : op.fn == ClientOp.Fn.CAS ? new long[] {op.expected, op.value} : (Object) op.value;
      recorder.history(op.process, type, op.fn.json(), KvCommand.keyName(op.key), value, queue.now(), names[op.node]);
    }
    trace(type, new OpNote(op, names[op.node], readValue, false));
    if (type.equals("info")) {
      client.retireProcess();
    }
    if (client.current == op) {
      client.current = null;
      queue.after(random.nextLong(10_000_000L), new SimEvent(Kind.CLIENT_NEXT, -1, client.index, 0, null, null));
    }
  }

  /** A client event in the trace, formatted only if the trace is printed. */
  private record OpNote(ClientOp op, String node, Long readValue, boolean invoke) {
    @Override
    public String toString() {
      String what = op.fn == ClientOp.Fn.READ ? "" : op.fn == ClientOp.Fn.CAS
          ? " [" + op.expected + "," + op.value + "]" : " " + op.value;
      String outcome = invoke ? " via " + node
          : op.fn == ClientOp.Fn.READ ? " = " + readValue + " at read index " + op.readIndex
          : op.index > 0 ? " at " + op.index + "@" + op.term : "";
      return "process " + op.process + " " + op.fn.json() + " " + KvCommand.keyName(op.key) + what + outcome;
    }
  }

  // ==================================================================== faults

  private void scheduleFault(FaultKind kind, double perSecond) {
    if (perSecond <= 0) {
      return;
    }
    // Exponential inter-arrival times: a Poisson process of faults of this kind.
    double seconds = -Math.log(1 - random.nextDouble()) / perSecond;
    queue.after(Math.max(1, (long) (seconds * 1e9)), new SimEvent(Kind.FAULT_START, -1, kind.ordinal(), 0, null, null));
  }

  private long faultDuration() {
    long min = options.faultMinMillis() * 1_000_000L;
    long max = options.faultMaxMillis() * 1_000_000L;
    return min + random.nextLong(max - min + 1);
  }

  private void onFaultStart(FaultKind kind) {
    switch (kind) {
      case KILL -> {
        scheduleFault(kind, options.killRate());
        int down = 0;
        for (SimulatedNode n : nodes) {
          down += n.up ? 0 : 1;
        }
        // Keep a majority up, or the cluster mostly waits; a single node may still be killed.
        if (down >= Math.max(1, (nodes.length - 1) / 2)) {
          return;
        }
        SimulatedNode victim = pickTarget(n -> n.up);
        if (victim != null) {
          faults++;
          crash(victim, FaultKind.KILL);
          queue.after(faultDuration(), new SimEvent(Kind.FAULT_STOP, victim.index, 0, 0, null,
              new ActiveFault(FaultKind.KILL, victim.index, null)));
        }
      }
      case PAUSE -> {
        scheduleFault(kind, options.pauseRate());
        SimulatedNode victim = pickTarget(n -> n.up && !n.paused);
        if (victim != null) {
          faults++;
          victim.paused = true;
          nemesis("start", FaultKind.PAUSE, List.of(victim.id), null);
          queue.after(faultDuration(), new SimEvent(Kind.FAULT_STOP, victim.index, 0, 0, null,
              new ActiveFault(FaultKind.PAUSE, victim.index, null)));
        }
      }
      case PARTITION -> {
        scheduleFault(kind, options.partitionRate());
        if (partitionsInForce >= 2) {
          return;
        }
        SimulatedNode leader = random.nextDouble() < options.leaderBias() ? pick(this::leads) : null;
        Partition p;
        if (leader != null) {
          // Cut the leader off: both ways, or it keeps sending but hears nothing, or the reverse.
          boolean[] side = new boolean[nodes.length];
          side[leader.index] = true;
          int how = random.nextInt(3);
          p = Partition.between(how == 0 ? "isolate-leader" : how == 1 ? "leader-deaf" : "leader-mute", side,
              how != 1, how != 2);
        } else {
          p = Partition.random(nodes.length, random);
        }
        if (p.links().isEmpty()) {
          return;
        }
        faults++;
        partitionsInForce++;
        p.apply(network);
        nemesis("start", FaultKind.PARTITION, nodeNames(p.nodes()), p);
        queue.after(faultDuration(), new SimEvent(Kind.FAULT_STOP, -1, 0, 0, null,
            new ActiveFault(FaultKind.PARTITION, -1, p)));
      }
      case TRANSFER -> {
        scheduleFault(kind, options.transferRate());
        SimulatedNode leader = pick(n -> n.up && !n.paused && n.raft.role() == Role.LEADER);
        if (leader != null) {
          int to = random.nextInt(nodes.length - 1);
          to = to >= leader.index ? to + 1 : to;
          faults++;
          leader.raft.transferLeadership(names[to]);
          nemesis("start", FaultKind.TRANSFER, List.of(leader.id, names[to]), null);
          nemesis("stop", FaultKind.TRANSFER, List.of(leader.id, names[to]), null);
          afterInput(leader);
        }
      }
      case CRASH_AFTER_VOTE, CRASH_ON_COMMIT, CRASH_BEFORE_SEND, CRASH_BEFORE_VOTE_WRITE -> throw new IllegalStateException(kind + " is triggered by the protocol, not scheduled");
    }
  }

  private void onFaultStop(ActiveFault f) {
    switch (f.kind()) {
      case KILL, CRASH_AFTER_VOTE, CRASH_ON_COMMIT, CRASH_BEFORE_SEND, CRASH_BEFORE_VOTE_WRITE -> restart(nodes[f.node()], f.kind());
      case PAUSE -> {
        SimulatedNode node = nodes[f.node()];
        if (!node.paused) {
          return; // it crashed meanwhile
        }
        node.paused = false;
        nemesis("stop", FaultKind.PAUSE, List.of(node.id), null);
        // What queued up while frozen is handled now, in arrival order.
        for (SimEvent ev : node.stash) {
          queue.after(0, ev);
        }
        node.stash.clear();
      }
      case PARTITION -> {
        f.partition().heal(network);
        partitionsInForce--;
        nemesis("stop", FaultKind.PARTITION, nodeNames(f.partition().nodes()), f.partition());
      }
      case TRANSFER -> { }
    }
  }

  /** A crash at a moment of the protocol's choosing; the node restarts from its disk after a fault duration. */
  private void crashForAWhile(SimulatedNode node, FaultKind why) {
    faults++;
    crash(node, why);
    queue.after(faultDuration(), new SimEvent(Kind.FAULT_STOP, node.index, 0, 0, null, new ActiveFault(why, node.index, null)));
  }

  private void crash(SimulatedNode node, FaultKind why) {
    node.up = false;
    node.paused = false;
    node.incarnation++;
    node.inflight = null;
    node.stash.clear();
    nemesis("start", why, List.of(node.id), null);
    trace("crash", node.id + " (disk: " + node.disk().size() + " entries, " + node.hardState() + ")");
    // Writes in flight may or may not commit; reads just fail.
    for (ClientOp op : new ArrayList<>(node.writesByIndex.values())) {
      if (!op.done) {
        complete(op, "info", null);
      }
    }
    for (ClientOp op : new ArrayList<>(node.readsByContext.values())) {
      if (!op.done) {
        complete(op, "fail", null);
      }
    }
    for (ClientOp op : new ArrayList<>(node.readsAwaitingApply)) {
      if (!op.done) {
        complete(op, "fail", null);
      }
    }
    node.writesByIndex.clear();
    node.readsByContext.clear();
    node.readsAwaitingApply.clear();
    sample(node);
  }

  private void restart(SimulatedNode node, FaultKind why) {
    if (node.up) {
      return;
    }
    List<Entry> log = List.copyOf(node.disk());
    try {
      node.raft = RaftNode.restart(node.config, random.split(), node.hardState(), log);
    } catch (IllegalStateException e) {
      throw new InvariantViolation(Property.CORE_CONTRACT, node.id + " cannot restart from its own disk ("
          + node.hardState() + ", " + log.size() + " entries): " + e.getMessage());
    }
    node.up = true;
    // Rebuild the state machine up to what the core considers applied; later entries come in Readies.
    long applied = Math.min(node.raft.status().applied(), log.size());
    node.kv = new KvStore(options.keys());
    for (int i = 0; i < applied; i++) {
      Entry e = log.get(i);
      if (e.type() == EntryType.NORMAL && e.data().length > 0) {
        node.kv.apply(KvCommand.decode(e.data()));
      }
    }
    node.applied = applied;
    if (checker != null) {
      checker.restarted(node.index, log, node.hardState().commit(), applied);
    }
    nemesis("stop", why, List.of(node.id), null);
    trace("restart", node.id + " from " + node.hardState() + " and " + log.size() + " entries");
    queue.after(random.nextLong(node.tickNanos), new SimEvent(Kind.TICK, node.index, node.incarnation, 0, null, null));
    afterInput(node);
  }

  private boolean leads(SimulatedNode n) {
    return n.up && n.raft.role() == Role.LEADER;
  }

  /** A fault's victim: with probability leaderBias a current leader, otherwise any eligible node. */
  private SimulatedNode pickTarget(java.util.function.Predicate<SimulatedNode> eligible) {
    if (random.nextDouble() < options.leaderBias()) {
      SimulatedNode leader = pick(n -> eligible.test(n) && leads(n));
      if (leader != null) {
        return leader;
      }
    }
    return pick(eligible);
  }

  private SimulatedNode pick(java.util.function.Predicate<SimulatedNode> eligible) {
    int count = 0;
    for (SimulatedNode n : nodes) {
      count += eligible.test(n) ? 1 : 0;
    }
    if (count == 0) {
      return null;
    }
    int k = random.nextInt(count);
    for (SimulatedNode n : nodes) {
      if (eligible.test(n) && k-- == 0) {
        return n;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private List<String> nodeNames(int[] idx) {
    List<String> out = new ArrayList<>(idx.length);
    for (int i : idx) {
      out.add(names[i]);
    }
    return out;
  }

  private void nemesis(String type, FaultKind kind, List<String> who, Partition p) {
    if (recorder != null) {
      List<String[]> links = null;
      if (p != null) {
        links = new ArrayList<>();
        for (int[] l : p.links()) {
          links.add(new String[] {names[l[0]], names[l[1]]});
        }
      }
      recorder.nemesis(queue.now(), type, kind.json(), who, links);
    }
    trace("nemesis", type + " " + kind.json() + (p != null ? " " + p.shape() : "") + " " + who);
  }

  private void trace(String label, Object detail) {
    ring.add(step, queue.now(), label, detail);
    if (traceOut != null) {
      traceOut.accept(TraceRing.format(step, queue.now(), label, detail));
    }
  }

  // ==================================================================== inspection

  public String nodeName(int i) {
    return names[i];
  }

  /** What node {@code i} has persisted (its log after the run). */
  public List<Entry> persistedLog(int i) {
    return nodes[i].disk();
  }

  public long invalidMessages() {
    return invalidMessages;
  }
}
