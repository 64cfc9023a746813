package io.raftlab.chaos.monkey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.OpResult;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.cluster.RaftlabCluster;
import io.raftlab.chaos.history.HistoryRecorder;
import io.raftlab.chaos.history.NemesisRecorder;
import io.raftlab.chaos.history.StateRecorder;
import io.raftlab.chaos.monitor.InvariantMonitor;
import io.raftlab.chaos.net.NetworkFaults;
import io.raftlab.chaos.net.NetworkFaults.Link;
import io.raftlab.chaos.net.FaultLog;
import io.raftlab.chaos.net.ProxyMesh;
import io.raftlab.chaos.plan.FaultState;
import io.raftlab.chaos.plan.Plan;
import io.raftlab.chaos.plan.PlanEvent;
import io.raftlab.chaos.report.RunReport;
import io.raftlab.chaos.workload.KvWorkload;
import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One trial: a fresh cluster of one implementation in its own directory, waited on until stable,
 * then the plan's events at their offsets (faults from this thread, each plan client's operations
 * in order on a thread of its own) while background workload clients run; at the end every fault
 * is repaired, the history checked and the run directory completed.
 */
final class Trial {

  /** Background workload processes start here, far above the plan clients' process ids. */
  static final int WORKLOAD_PROCESS_BASE = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to run: plan {@code plan} (drawn from {@code planSeed}), repeat {@code repeat}, on {@code implementation}. */
  record Spec(int plan, long planSeed, Plan planEvents, int repeat, Implementation implementation, Path dir) {}

  /** A finished trial and its plan clients' operations alone (positions line up across trials), or null. */
  record Finished(TrialResult result, History planHistory) {}

  private final Spec spec;
  private final MonkeyOptions options;
  private final List<Operation> planOps = new CopyOnWriteArrayList<>();
  private final List<Thread> planClients = new ArrayList<>();
  private volatile boolean stopping;
  private long startMillis = -1;
  private int startAttempts;
  private long t0;
  private ClusterUnderTest cluster;
  private HistoryRecorder history;
  private NemesisRecorder nemesis;
  private KvWorkload workload;
  private InvariantMonitor monitor;
  private final FaultState state;

  private Trial(Spec spec, MonkeyOptions options) {
    this.spec = spec;
    this.options = options;
    this.state = new FaultState(spec.planEvents().nodeNames());
  }

  static Finished run(Spec spec, MonkeyOptions options) throws IOException {
    return new Trial(spec, options).run();
  }

  private Finished run() throws IOException {
    Path dir = spec.dir();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("plan.txt"), spec.planEvents().render(), StandardCharsets.UTF_8);
    long started = System.nanoTime();
    String error = null;
    StateRecorder states = null;
    List<FaultLog.FaultChange> networkLog = List.of();
    history = new HistoryRecorder(dir.resolve("history.jsonl"));
    nemesis = new NemesisRecorder(dir.resolve("nemesis.jsonl"));
    try {
      cluster = startCluster(dir);
      if (cluster.nodes().size() != options.nodes()) {
        throw new IllegalStateException("asked for " + options.nodes() + " nodes, the implementation started " + cluster.nodes());
      }
      awaitStable();
      startMillis = (System.nanoTime() - started) / 1_000_000;
      if (cluster instanceof RaftlabCluster rc) {
        states = new StateRecorder(dir.resolve("states.jsonl"), Duration.ofMillis(100),
            () -> StateRecorder.inspect(rc.local(), Duration.ofMillis(200)));
      }
      if (cluster.hasRaftlabInspection()) {
        monitor = new InvariantMonitor(cluster.nodes(), cluster::clientAddress, Duration.ofMillis(200)).start();
      }
      workload = new KvWorkload(history, spec.implementation(), cluster, new KvWorkload.Options(options.clients(),
          options.generator().keys(), "w", spec.planSeed() + spec.repeat(), options.callTimeout(), options.mode(),
          WORKLOAD_PROCESS_BASE));
      t0 = System.nanoTime();
      startPlanClients();
      workload.start();
      error = runFaults();
      for (Thread t : planClients) {
        t.join(options.callTimeout().multipliedBy(4).toMillis() + 5_000);
      }
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } finally {
      stopping = true;
      if (cluster != null) {
        repairAll();
      }
      if (workload != null) {
        try {
          workload.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (Thread t : planClients) {
        try {
          t.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (monitor != null) {
        monitor.pollOnce();
        try {
          monitor.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (states != null) {
        states.close();
      }
      if (cluster != null) {
        if (cluster.network() instanceof ProxyMesh mesh) {
          networkLog = mesh.faultLog();
        }
        cluster.close();
      }
      history.close();
      nemesis.close();
    }
    writeNetworkLog(networkLog);
    List<String> violations = monitor == null ? List.of() : monitor.violations().stream().map(Object::toString).toList();
    boolean monitored = monitor != null;
    String verdict = "ERROR";
    long total = history.okCount() + history.failCount() + history.infoCount();
    ObjectNode results = results(violations, error, verdict, started);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), results);
    if (total > 0) {
      try {
        verdict = RunReport.write(dir).verdict().kind().name();
      } catch (Exception e) {
        error = (error == null ? "" : error + "; ") + "report: " + e.getMessage();
      }
      results = results(violations, error, verdict, started);
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), results);
    }
    TrialResult r = new TrialResult(spec.plan(), spec.repeat(), spec.implementation().name(), dir, history.okCount(),
        history.failCount(), history.infoCount(), nemesis.faultCount(), verdict, monitored, violations, error,
        (System.nanoTime() - started) / 1_000_000);
    return new Finished(r, History.reindexed(r.label(), planOps));
  }

  private ObjectNode results(List<String> violations, String error, String verdict, long started) {
    ObjectNode n = JSON.createObjectNode();
    n.put("implementation", spec.implementation().name());
    n.put("plan", spec.plan());
    n.put("plan_seed", spec.planSeed());
    n.put("repeat", spec.repeat());
    n.put("nodes", options.nodes());
    n.put("plan_events", spec.planEvents().events().size());
    n.put("mode", options.mode().name().toLowerCase());
    n.put("clients", options.clients());
    n.put("ok", history.okCount());
    n.put("fail", history.failCount());
    n.put("info", history.infoCount());
    n.put("faults", nemesis.faultCount());
    n.put("plan_ops", planOps.size());
    n.put("verdict", verdict);
    ArrayNode vs = n.putArray("invariant_violations");
    violations.forEach(vs::add);
    if (monitor != null) {
      n.put("monitor_polls", monitor.polls());
    }
    if (error != null) {
      n.put("error", error);
    }
    n.put("node_logs", startAttempts > 1 ? "cluster-" + startAttempts + "/" : "cluster/");
    n.put("start_attempts", startAttempts);
    n.put("start_ms", startMillis);
    n.put("elapsed_ms", (System.nanoTime() - started) / 1_000_000);
    n.put("replay", options.replay(spec.plan()));
    return n;
  }

  /**
   * Starts the cluster; a start that fails is tried once more in a fresh directory, since a
   * start-up timeout on a loaded machine says nothing about the implementation's safety.
   */
  private ClusterUnderTest startCluster(Path dir) throws Exception {
    try {
      startAttempts = 1;
      return spec.implementation().start(new ClusterRequest(dir.resolve("cluster"), options.nodes(), options.settings(),
          options.startTimeout()));
    } catch (Exception first) {
      startAttempts = 2;
      try {
        return spec.implementation().start(new ClusterRequest(dir.resolve("cluster-2"), options.nodes(), options.settings(),
            options.startTimeout()));
      } catch (Exception second) {
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  /** Stable: a leader (when the implementation reports one) and a write that succeeded. */
  private void awaitStable() throws Exception {
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    boolean needLeader = cluster instanceof RaftlabCluster;
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      String leader = cluster.leader(Duration.ofSeconds(2)).orElse(null);
      if (leader != null || !needLeader) {
        try (KvClient c = spec.implementation().client(cluster, ClientRoute.standard(cluster.nodes(), options.callTimeout()))) {
          OpResult r = c.write("monkey-probe", "ready");
          if (r.outcome() == OpResult.Outcome.OK) {
            return;
          }
          last = "probe write: " + r.outcome() + " " + r.error();
        }
      } else {
        last = "no leader";
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the cluster did not become stable within " + options.startTimeout().toSeconds() + " s (" + last + ")");
  }

  private void startPlanClients() {
    List<String> clients = spec.planEvents().clients();
    int m = clients.isEmpty() ? 1 : Integer.parseInt(clients.get(clients.size() - 1).substring(1)) + 1;
    for (String c : clients) {
      int number = Integer.parseInt(c.substring(1));
      List<Plan.Timed> ops = spec.planEvents().events().stream().filter(t -> client(t.event()).equals(c)).toList();
      Thread t = new Thread(() -> runPlanClient(number, m, ops), "plan-client-" + c);
      t.setDaemon(true);
      planClients.add(t);
      t.start();
    }
  }

  private static String client(PlanEvent e) {
    if (e instanceof PlanEvent.Get g) {
      return g.client();
    }
    return e instanceof PlanEvent.Set s ? s.client() : "";
  }

  /**
   * One plan client: its operations in plan order, none before its offset. After an unknown
   * outcome it goes on as a new process with a new session (number + k * m) in history.jsonl;
   * in the plan history it keeps its number, so positions match across trials.
   */
  private void runPlanClient(int number, int m, List<Plan.Timed> ops) {
    int process = number;
    KvClient session = null;
    try {
      for (Plan.Timed t : ops) {
        if (!sleepUntil(t0 + t.offsetMillis() * 1_000_000)) {
          return;
        }
        if (session == null) {
          session = spec.implementation().client(cluster, ClientRoute.standard(cluster.nodes(), options.callTimeout()));
        }
        OpResult r;
        long invoked = System.nanoTime();
        if (t.event() instanceof PlanEvent.Get g) {
          history.invoke(process, "read", g.key(), null, null);
          r = call(session, c -> c.read(g.key()));
          // A read changes nothing: in history.jsonl any non-OK read is a failure.
          history.complete(process, r.outcome() == OpResult.Outcome.OK ? HistoryRecorder.Outcome.OK : HistoryRecorder.Outcome.FAIL,
              "read", g.key(), r.outcome() == OpResult.Outcome.OK ? r.value() : null, r.node());
          planOps.add(Operation.read(planOps.size(), number, g.key(), r.value(), invoked, System.nanoTime(), outcome(r)));
        } else {
          PlanEvent.Set s = (PlanEvent.Set) t.event();
          history.invoke(process, "write", s.key(), s.value(), null);
          r = call(session, c -> c.write(s.key(), s.value()));
          history.complete(process, HistoryRecorder.Outcome.valueOf(r.outcome().name()), "write", s.key(), s.value(), r.node());
          planOps.add(Operation.write(planOps.size(), number, s.key(), s.value(), invoked, System.nanoTime(), outcome(r)));
        }
        if (r.outcome() == OpResult.Outcome.INFO && t.event() instanceof PlanEvent.Set) {
          process += m;
          session.close();
          session = null;
        }
      }
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }

  private static OpResult call(KvClient c, java.util.function.Function<KvClient, OpResult> op) {
    try {
      return op.apply(c);
    } catch (RuntimeException e) {
      return OpResult.unknown(null, e.toString());
    }
  }

  private static Outcome outcome(OpResult r) {
    return switch (r.outcome()) {
      case OK -> Outcome.OK;
      case FAIL -> Outcome.FAIL;
      case INFO -> Outcome.INFO;
    };
  }

  /** The faults at their offsets; returns why the trial stopped early, or null. */
  private String runFaults() throws Exception {
    for (Plan.Timed t : spec.planEvents().events()) {
      if (t.event().isClientOp()) {
        continue;
      }
      if (!sleepUntil(t0 + t.offsetMillis() * 1_000_000)) {
        break;
      }
      execute(t.event());
    }
    // Let the plan clients finish their last operations, still watching the invariants.
    while (planClients.stream().anyMatch(Thread::isAlive) && !violated()) {
      Thread.sleep(50);
    }
    return violated() ? "stopped: invariant violated: " + monitor.violations().get(0) : null;
  }

  private boolean violated() {
    return monitor != null && !monitor.violations().isEmpty();
  }

  /** Waits until {@code when}; false when the trial stops first (an invariant broke). */
  private boolean sleepUntil(long when) {
    while (true) {
      if (stopping || violated()) {
        stopping = true;
        return false;
      }
      long left = when - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      try {
        Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private String node(String planNode) {
    return cluster.nodes().get(Integer.parseInt(planNode.substring(1)) - 1);
  }

  /** Runs one fault (or repair) on the cluster and records it in nemesis.jsonl. */
  private void execute(PlanEvent e) throws Exception {
    String why = state.impossibility(e);
    if (why != null) {
      throw new IllegalStateException(e.render() + " is impossible here: " + why);
    }
    if (e instanceof PlanEvent.Kill k) {
      String n = node(k.node());
      nemesis.start("kill", List.of(n), "KILL " + n);
      cluster.kill(n);
      state.apply(e);
    } else if (e instanceof PlanEvent.Revive r) {
      String n = node(r.node());
      cluster.restart(n);
      state.apply(e);
      nemesis.stop("kill", List.of(n), "REV " + n);
      noteRestart(n);
    } else if (e instanceof PlanEvent.Pause p) {
      String n = node(p.node());
      nemesis.start("pause", List.of(n), "PAUSE " + n);
      cluster.pause(n);
      state.apply(e);
    } else if (e instanceof PlanEvent.Resume r) {
      String n = node(r.node());
      cluster.resume(n);
      state.apply(e);
      nemesis.stop("pause", List.of(n), "RESUME " + n);
      noteRestart(n);
    } else {
      Set<Link> before = state.blocked();
      state.apply(e);
      Set<Link> after = state.blocked();
      NetworkFaults net = cluster.network();
      for (Link l : linkOrder(after, before)) {
        nemesis.start("partition", List.of(node(l.from()), node(l.to())), e.render() + ": " + node(l.from()) + "->" + node(l.to()));
        net.block(node(l.from()), node(l.to()));
      }
      for (Link l : linkOrder(before, after)) {
        net.unblock(node(l.from()), node(l.to()));
        nemesis.stop("partition", List.of(node(l.from()), node(l.to())), e.render() + ": " + node(l.from()) + "->" + node(l.to()));
      }
    }
  }

  private void noteRestart(String node) {
    if (workload != null) {
      workload.noteRestart(node);
    }
  }

  /** The links in {@code a} but not in {@code b}, in a fixed order. */
  private static Set<Link> linkOrder(Set<Link> a, Set<Link> b) {
    Set<Link> out = new java.util.TreeSet<>(java.util.Comparator.comparing(Link::toString));
    for (Link l : a) {
      if (!b.contains(l)) {
        out.add(l);
      }
    }
    return out;
  }

  /** Undoes every fault the plan left (normally none: plans end whole), then heals the network regardless. */
  private void repairAll() {
    for (PlanEvent e : state.repairs()) {
      try {
        execute(e);
      } catch (Exception ex) {
        // Best effort: a node that cannot be restarted is reported through the verdict and the log.
      }
    }
    try {
      cluster.network().healAll();
    } catch (RuntimeException ex) {
      // ignore: the cluster is closed next anyway
    }
    Set<String> seen = new HashSet<>();
    for (String n : cluster.nodes()) {
      if (seen.add(n) && !cluster.isRunning(n)) {
        try {
          cluster.restart(n);
        } catch (Exception ex) {
          // ignore, as above
        }
      }
    }
  }

  private void writeNetworkLog(List<FaultLog.FaultChange> log) throws IOException {
    if (log.isEmpty()) {
      return;
    }
    try (BufferedWriter out = Files.newBufferedWriter(spec.dir().resolve("network.jsonl"), StandardCharsets.UTF_8)) {
      for (FaultLog.FaultChange c : log) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", c.nanoTime());
        n.put("wall", c.time().toString());
        n.put("action", c.action());
        n.put("link", String.valueOf(c.link()));
        n.put("detail", c.detail());
        out.write(JSON.writeValueAsString(n));
        out.write('\n');
      }
    }
  }
}
