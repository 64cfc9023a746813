package io.raftlab.chaos.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.cluster.RaftlabCluster;
import io.raftlab.chaos.history.HistoryRecorder;
import io.raftlab.chaos.history.NemesisRecorder;
import io.raftlab.chaos.history.StateRecorder;
import io.raftlab.chaos.monitor.InvariantMonitor;
import io.raftlab.chaos.report.RunReport;
import io.raftlab.chaos.report.RunVerdict;
import io.raftlab.client.AdminClient;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.CompareAndSetResult;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.GetResult;
import io.raftlab.client.KvException;
import io.raftlab.client.PutResult;
import io.raftlab.client.RaftlabClient;
import io.raftlab.client.ResponseInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link Scenario} against a cluster: statements in order, {@code after} blocks on their
 * own threads, every client operation into {@code history.jsonl}, every fault into
 * {@code nemesis.jsonl}, node states sampled into {@code states.jsonl}, a summary into
 * {@code results.json} and the page into {@code report.html}. The first expectation that does
 * not hold stops the run. Every step is bounded in time.
 */
public final class ScenarioRunner {

  /** Starts the cluster under test in {@code dir}. */
  @FunctionalInterface
  public interface ClusterLauncher {
    ClusterUnderTest launch(Path dir, int nodes, Map<String, String> params) throws Exception;
  }

  /** raftlab processes wired through the proxy mesh. */
  public static ClusterLauncher raftlabProcesses() {
    return (dir, nodes, params) -> RaftlabCluster.start(dir, nodes, params, Duration.ofSeconds(60));
  }

  /**
   * @param out the run directory
   * @param opTimeout the deadline of one client operation (all its retries)
   */
  public record Options(Path out, Duration opTimeout, ClusterLauncher launcher, PrintStream progress) {
    public static Options defaults(Path out, PrintStream progress) {
      return new Options(out, Duration.ofSeconds(4), raftlabProcesses(), progress);
    }
  }

  public enum Status {
    /** Every statement ran and every expectation held. */
    PASSED,
    /** An expectation did not hold (or the history is not linearizable). */
    FAILED,
    /** The cluster could not be started or driven. */
    SETUP_FAILED
  }

  /**
   * @param failedLine the line of the statement that stopped the run (0 if none or not one statement)
   * @param message for a stop, {@code FILE:LINE: ...}
   */
  public record Result(Status status, int failedLine, String message, Path runDir, int statementsRun, long ok,
      long fail, long info, int faults, Optional<RunVerdict> verdict) {}

  /** An expectation that did not hold. */
  static final class ExpectationFailed extends RuntimeException {
    final int line;

    ExpectationFailed(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** The cluster could not do what a statement asked. */
  static final class StepError extends RuntimeException {
    final int line;

    StepError(int line, String message, Throwable cause) {
      super(message, cause);
      this.line = line;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(50);

  private final Scenario scenario;
  private final Options options;
  private final PrintStream progress;
  private final Map<String, String> variables = new ConcurrentHashMap<>();
  private final AtomicInteger processes = new AtomicInteger();
  private final AtomicInteger statementsRun = new AtomicInteger();
  private final AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
  private final List<Thread> blocks = new CopyOnWriteArrayList<>();
  /** Open faults as "fault|n1,n2", so that a stop is written only for a fault that is open. */
  private final Set<String> openFaults = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private long startNanos;
  private ClusterUnderTest cluster;
  private NodeInspection inspection;
  private HistoryRecorder history;
  private NemesisRecorder nemesis;
  private InvariantMonitor monitor;

  private ScenarioRunner(Scenario scenario, Options options) {
    this.scenario = scenario;
    this.options = options;
    this.progress = options.progress();
  }

  public static Result run(Scenario scenario, Options options) throws IOException {
    return new ScenarioRunner(scenario, options).run();
  }

  private Result run() throws IOException {
    Path dir = options.out();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("script.txt"), scenario.text(), StandardCharsets.UTF_8);
    startNanos = System.nanoTime();
    Status status = Status.PASSED;
    int failedLine = 0;
    String message = "";
    StateRecorder samples = null;
    history = new HistoryRecorder(dir.resolve("history.jsonl"));
    nemesis = new NemesisRecorder(dir.resolve("nemesis.jsonl"));
    try {
      progress.printf("%s: starting %d nodes%s in %s%n", where(scenario.startLine()), scenario.nodes(),
          scenario.nodeParams().isEmpty() ? "" : " with " + scenario.nodeParams(), dir.resolve("cluster"));
      try {
        cluster = options.launcher().launch(dir.resolve("cluster"), scenario.nodes(), scenario.nodeParams());
      } catch (Exception e) {
        throw new StepError(scenario.startLine(), where(scenario.startLine()) + ": the cluster did not start: " + e.getMessage(), e);
      }
      inspection = new NodeInspection(cluster, Duration.ofMillis(400));
      NodeInspection inspected = inspection;
      samples = new StateRecorder(dir.resolve("states.jsonl"), Duration.ofMillis(100), () -> inspected.inspectAll().stream()
          .map(v -> new StateRecorder.NodeView(v.node(), v.role(), v.term(), v.commit())).toList());
      if (cluster.hasRaftlabInspection()) {
        // White-box safety while the script runs: one leader per term, terms and commits never
        // going back, committed prefixes agreeing. A violation stops the script.
        monitor = new InvariantMonitor(cluster.nodes(), cluster::clientAddress, Duration.ofMillis(200)).start();
      }
      runSteps(scenario.steps(), newProcess());
      awaitBlocks();
      RuntimeException blockFailure = firstFailure.get();
      if (blockFailure != null) {
        throw blockFailure;
      }
      checkInvariants(0);
    } catch (ExpectationFailed e) {
      status = Status.FAILED;
      failedLine = e.line;
      message = e.getMessage();
    } catch (StepError e) {
      status = Status.SETUP_FAILED;
      failedLine = e.line;
      message = e.getMessage();
    } catch (RuntimeException e) {
      status = Status.SETUP_FAILED;
      message = scenario.source() + ": the run could not go on: " + e;
    } finally {
      stopping = true;
      for (Thread t : blocks) {
        t.interrupt();
      }
      for (Thread t : blocks) {
        try {
          t.join(10_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
      if (monitor != null) {
        try {
          monitor.close();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        if (status == Status.PASSED && !monitor.violations().isEmpty()) {
          status = Status.FAILED;
          message = invariantMessage(0);
        }
      }
      if (samples != null) {
        samples.close();
      }
      if (inspection != null) {
        inspection.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      history.close();
      nemesis.close();
    }
    if (status != Status.PASSED) {
      progress.println(message);
    }
    Optional<RunVerdict> verdict = Optional.empty();
    Result result = result(status, failedLine, message, verdict);
    writeResults(result);
    if (history.okCount() + history.failCount() + history.infoCount() > 0) {
      try {
        RunReport.Outcome report = RunReport.write(dir);
        verdict = Optional.of(report.verdict());
        if (report.verdict().kind() == RunVerdict.Kind.NOT_LINEARIZABLE && status == Status.PASSED) {
          status = Status.FAILED;
          message = scenario.source() + ": the recorded history is not linearizable: " + report.verdict().explanation();
          progress.println(message);
        }
        result = result(status, failedLine, message, verdict);
        writeResults(result);
        RunReport.write(dir); // again, so that the page shows the verdict in its results table
        progress.printf("report: %s%n", report.report().toAbsolutePath());
      } catch (Exception e) {
        progress.printf("report: not written (%s)%n", e.getMessage());
      }
    } else {
      progress.println("report: not written (the script made no client operations)");
    }
    return result;
  }

  private Result result(Status status, int line, String message, Optional<RunVerdict> verdict) {
    return new Result(status, line, message, options.out(), statementsRun.get(), history.okCount(), history.failCount(),
        history.infoCount(), nemesis.faultCount(), verdict);
  }

  private void writeResults(Result r) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("scenario", scenario.source());
    n.put("status", r.status().name());
    if (r.failedLine() > 0) {
      n.put("failed_line", r.failedLine());
    }
    if (!r.message().isEmpty()) {
      n.put("message", r.message());
    }
    n.put("nodes", scenario.nodes());
    ObjectNode params = n.putObject("node_params");
    scenario.nodeParams().forEach(params::put);
    n.put("statements_run", r.statementsRun());
    n.put("ok", r.ok());
    n.put("fail", r.fail());
    n.put("info", r.info());
    n.put("faults", r.faults());
    n.put("elapsed_ms", (System.nanoTime() - startNanos) / 1_000_000);
    r.verdict().ifPresent(v -> n.put("linearizability", v.kind().name()));
    if (monitor != null) {
      n.put("invariants", monitor.violations().isEmpty() ? "held" : "violated");
      n.put("invariant_polls", monitor.polls());
      monitor.violations().forEach(v -> n.withArray("invariant_violations").add(v.toString()));
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(options.out().resolve("results.json").toFile(), n);
  }

  // ---- statements -------------------------------------------------------------------------------

  private int newProcess() {
    return processes.getAndIncrement();
  }

  private String where(int line) {
    return scenario.source() + ":" + line;
  }

  private void runSteps(List<Statement> steps, int firstProcess) {
    int[] process = {firstProcess};
    for (Statement s : steps) {
      if (stopping || firstFailure.get() != null) {
        return;
      }
      progress.printf("[%6.2fs] %s: %s%n", (System.nanoTime() - startNanos) / 1e9, where(s.line()), s.text());
      step(s, process);
      statementsRun.incrementAndGet();
      checkInvariants(s.line());
    }
  }

  /** Stops the run at {@code line} once the monitor has seen an invariant broken. */
  private void checkInvariants(int line) {
    if (monitor != null && !monitor.violations().isEmpty()) {
      throw new ExpectationFailed(line, invariantMessage(line));
    }
  }

  private String invariantMessage(int line) {
    return (line > 0 ? where(line) : scenario.source()) + ": invariant violated (seen by the monitor by this point): "
        + monitor.violations().get(0);
  }

  private void step(Statement s, int[] process) {
    try {
      if (s instanceof Statement.NodeFault f) {
        nodeFault(f);
      } else if (s instanceof Statement.Partition p) {
        partition(p);
      } else if (s instanceof Statement.Isolate i) {
        String n = resolve(i.node(), i.line());
        cluster.network().isolate(n);
        faultStart("isolate", List.of(n), "isolate " + n);
      } else if (s instanceof Statement.Link l) {
        String from = resolve(l.from(), l.line());
        String to = resolve(l.to(), l.line());
        if (l.block()) {
          cluster.network().block(from, to);
          faultStart("block", List.of(from, to), from + " -> " + to);
        } else {
          cluster.network().unblock(from, to);
          faultStop("block", List.of(from, to), "unblock " + from + " -> " + to);
        }
      } else if (s instanceof Statement.Heal) {
        cluster.network().healAll();
        for (String fault : List.of("partition", "isolate", "block")) {
          if (openFaults.removeIf(k -> k.startsWith(fault + "|"))) {
            nemesis.stop(fault, List.of(), "heal");
          }
        }
      } else if (s instanceof Statement.Let l) {
        String n = resolve(l.node(), l.line());
        variables.put(l.variable(), n);
        progress.printf("          %s = %s%n", l.variable(), n);
      } else if (s instanceof Statement.ClientOp c) {
        clientOp(c, process);
      } else if (s instanceof Statement.Campaign c) {
        String n = resolve(c.node(), c.line());
        String addr = cluster.clientAddress(n).orElseThrow(() -> new StepError(c.line(),
            where(c.line()) + ": cannot campaign " + n + ": it is not running", null));
        try (AdminClient admin = AdminClient.connect(EndpointAddress.parse(addr, "client address"), Duration.ofSeconds(3))) {
          admin.campaign();
        }
        nemesis.start("campaign", List.of(n), "campaign " + n);
        nemesis.stop("campaign", List.of(n), "asked");
      } else if (s instanceof Statement.WaitLeader w) {
        waitLeader(w);
      } else if (s instanceof Statement.Sleep z) {
        sleepUnlessStopped(z.duration());
      } else if (s instanceof Statement.After a) {
        after(a);
      } else if (s instanceof Statement.ExpectGet g) {
        expectGet(g, process);
      } else if (s instanceof Statement.ExpectFail f) {
        expectFail(f, process);
      } else if (s instanceof Statement.ExpectLeader e) {
        expectLeader(e);
      } else if (s instanceof Statement.ExpectNoLeader e) {
        expectNoLeader(e);
      } else if (s instanceof Statement.ExpectLeaderChange e) {
        expectLeaderChange(e);
      } else if (s instanceof Statement.WaitBlocks w) {
        waitBlocks(w);
      } else if (s instanceof Statement.ExpectOneLeaderPerTerm e) {
        Map<Long, Set<String>> bad = inspection.termsWithSeveralLeaders();
        if (!bad.isEmpty()) {
          Map.Entry<Long, Set<String>> first = bad.entrySet().iterator().next();
          throw failed(e, "saw " + String.join(" and ", first.getValue()) + " both leader in term " + first.getKey());
        }
        progress.printf("          leaders seen in %d terms, one per term%n", inspection.termsSeen());
      } else {
        throw new StepError(s.line(), where(s.line()) + ": '" + s.text() + "' cannot run after 'start'", null);
      }
    } catch (ExpectationFailed | StepError e) {
      throw e;
    } catch (UnsupportedOperationException e) {
      throw new StepError(s.line(), where(s.line()) + ": " + s.text() + ": this cluster cannot do it: " + e.getMessage(), e);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new StepError(s.line(), where(s.line()) + ": " + s.text() + " failed: " + e, e);
    }
  }

  private ExpectationFailed failed(Statement s, String saw) {
    return new ExpectationFailed(s.line(), where(s.line()) + ": expectation failed: " + s.text() + " (" + saw + ")");
  }

  private void nodeFault(Statement.NodeFault f) throws Exception {
    String n = resolve(f.node(), f.line());
    switch (f.kind()) {
      case KILL -> {
        cluster.kill(n);
        faultStart("kill", List.of(n), "SIGKILL " + n);
      }
      case RESTART -> {
        cluster.restart(n);
        if (!faultStop("kill", List.of(n), "restarted " + n)) {
          nemesis.start("restart", List.of(n), "restart of a running node " + n);
          nemesis.stop("restart", List.of(n), "restarted " + n);
        }
      }
      case PAUSE -> {
        cluster.pause(n);
        faultStart("pause", List.of(n), "SIGSTOP " + n);
      }
      case RESUME -> {
        cluster.resume(n);
        faultStop("pause", List.of(n), "SIGCONT " + n);
      }
    }
  }

  private void partition(Statement.Partition p) throws IOException {
    List<List<String>> groups = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    for (List<NodeRef> g : p.groups()) {
      List<String> names = new ArrayList<>();
      for (NodeRef r : g) {
        String n = resolve(r, p.line());
        if (!placed.add(n)) {
          throw new StepError(p.line(), where(p.line()) + ": " + p.text() + ": node " + n + " (" + r
              + ") is in more than one group", null);
        }
        names.add(n);
      }
      groups.add(names);
    }
    if (p.restGroup()) {
      List<String> rest = cluster.nodes().stream().filter(x -> !placed.contains(x)).toList();
      if (rest.isEmpty()) {
        throw new StepError(p.line(), where(p.line()) + ": " + p.text() + ": 'rest' is empty", null);
      }
      groups.add(rest);
    }
    cluster.network().split(groups);
    List<String> all = groups.stream().flatMap(List::stream).toList();
    String detail = String.join(" | ", groups.stream().map(g -> String.join(",", g)).toList());
    progress.printf("          groups %s%n", detail);
    faultStart("partition", all, detail);
  }

  private void faultStart(String fault, List<String> nodes, String detail) throws IOException {
    openFaults.add(fault + "|" + String.join(",", nodes));
    nemesis.start(fault, nodes, detail);
  }

  /** Writes the stop only if that fault is open; says whether it was. */
  private boolean faultStop(String fault, List<String> nodes, String detail) throws IOException {
    if (openFaults.remove(fault + "|" + String.join(",", nodes))) {
      nemesis.stop(fault, nodes, detail);
      return true;
    }
    return false;
  }

  // ---- node names -------------------------------------------------------------------------------

  private String resolve(NodeRef r, int line) {
    if (r.isLiteral()) {
      return r.text();
    }
    if (r.text().equals(NodeRef.LEADER) || r.text().equals(NodeRef.FOLLOWER)) {
      long deadline = System.nanoTime() + ScenarioParser.DEFAULT_WAIT.toNanos();
      List<NodeInspection.View> views = List.of();
      while (System.nanoTime() < deadline && !stopping) {
        views = inspection.inspectAll();
        Optional<NodeInspection.View> leader = NodeInspection.leaderOf(views);
        if (leader.isPresent()) {
          if (r.text().equals(NodeRef.LEADER)) {
            return leader.get().node();
          }
          for (NodeInspection.View v : views) {
            if (!v.node().equals(leader.get().node()) && !"DOWN".equals(v.role())) {
              return v.node();
            }
          }
        }
        sleep(POLL);
      }
      throw new ExpectationFailed(line, where(line) + ": expectation failed: no " + r.text().substring(1)
          + " to name within " + human(ScenarioParser.DEFAULT_WAIT) + " (saw " + NodeInspection.describe(views) + ")");
    }
    String n = variables.get(r.text());
    if (n == null) {
      throw new StepError(line, where(line) + ": variable " + r + " is not bound yet (its 'let' has not run)", null);
    }
    return n;
  }

  private List<String> resolveAll(List<NodeRef> refs, int line) {
    List<String> out = new ArrayList<>();
    for (NodeRef r : refs) {
      out.add(resolve(r, line));
    }
    return out;
  }

  // ---- leaders ----------------------------------------------------------------------------------

  private void waitLeader(Statement.WaitLeader w) {
    Optional<List<String>> in = w.in().map(x -> resolveAll(x, w.line()));
    long deadline = System.nanoTime() + w.within().toNanos();
    List<NodeInspection.View> views;
    do {
      views = inspection.inspectAll();
      if (w.none()) {
        List<String> set = in.orElseThrow();
        if (views.stream().noneMatch(v -> v.isLeader() && set.contains(v.node()))) {
          return;
        }
      } else {
        Optional<NodeInspection.View> leader = NodeInspection.leaderOf(views);
        if (leader.isPresent() && (in.isEmpty() || in.get().contains(leader.get().node()) != w.notIn())) {
          progress.printf("          leader %s (term %d)%n", leader.get().node(), leader.get().term());
          return;
        }
      }
      sleep(POLL);
    } while (System.nanoTime() < deadline && !stopping);
    throw failed(w, "within " + human(w.within()) + " saw " + NodeInspection.describe(views));
  }

  private void expectLeader(Statement.ExpectLeader e) {
    List<String> in = resolveAll(e.in(), e.line());
    long deadline = System.nanoTime() + e.within().orElse(Duration.ZERO).toNanos();
    List<NodeInspection.View> views;
    while (true) {
      views = inspection.inspectAll();
      Optional<NodeInspection.View> leader = NodeInspection.leaderOf(views);
      if (leader.isPresent() && in.contains(leader.get().node())) {
        return;
      }
      if (System.nanoTime() >= deadline || stopping) {
        String saw = leader.map(v -> "leader " + v.node() + " in term " + v.term()).orElse("no leader");
        throw failed(e, "saw " + saw + ": " + NodeInspection.describe(views));
      }
      sleep(POLL);
    }
  }

  private void expectNoLeader(Statement.ExpectNoLeader e) {
    List<String> in = resolveAll(e.in(), e.line());
    long t0 = System.nanoTime();
    long deadline = t0 + e.holdFor().orElse(Duration.ZERO).toNanos();
    int samples = 0;
    do {
      for (String n : in) {
        NodeInspection.View v = inspection.inspect(n);
        if (v.isLeader()) {
          throw failed(e, "saw " + n + " leader in term " + v.term() + " after "
              + human(Duration.ofNanos(System.nanoTime() - t0)));
        }
      }
      samples++;
      if (System.nanoTime() < deadline) {
        sleep(POLL);
      }
    } while (System.nanoTime() < deadline && !stopping);
    progress.printf("          no leader among %s in %d samples%n", in, samples);
  }

  private void expectLeaderChange(Statement.ExpectLeaderChange e) {
    long t0 = System.nanoTime();
    long deadline = t0 + e.window().toNanos();
    List<NodeInspection.View> first = inspection.inspectAll();
    long startTerm = first.stream().mapToLong(NodeInspection.View::term).max().orElse(0);
    List<NodeInspection.View> views = first;
    while (true) {
      long term = views.stream().mapToLong(NodeInspection.View::term).max().orElse(0);
      Optional<NodeInspection.View> leader = NodeInspection.leaderOf(views);
      double at = (System.nanoTime() - t0) / 1e9;
      if (e.changing() && term > startTerm) {
        progress.printf("          term %d -> %d after %.2fs%n", startTerm, term, at);
        return;
      }
      if (!e.changing() && (term != startTerm || leader.isEmpty())) {
        throw failed(e, String.format("saw %s after %.2fs: %s", term != startTerm ? "term " + startTerm + " -> " + term
            : "no leader", at, NodeInspection.describe(views)));
      }
      if (System.nanoTime() >= deadline || stopping) {
        break;
      }
      sleep(POLL);
      views = inspection.inspectAll();
    }
    if (e.changing()) {
      throw failed(e, "saw term " + startTerm + " throughout " + human(e.window()));
    }
    progress.printf("          term %d throughout%n", startTerm);
  }

  private void waitBlocks(Statement.WaitBlocks w) {
    long deadline = System.nanoTime() + w.within().toNanos();
    for (Thread t : blocks) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepError(w.line(), where(w.line()) + ": interrupted", e);
      }
      if (t.isAlive()) {
        throw failed(w, "the block " + t.getName() + " was still running after " + human(w.within()));
      }
    }
    RuntimeException f = firstFailure.get();
    if (f != null) {
      throw f;
    }
  }

  // ---- client operations ------------------------------------------------------------------------

  /** An answer, or the failure. */
  private record OpOutcome(Object answer, KvException failure, String node) {}

  private OpOutcome perform(Statement.Op op, Optional<NodeRef> viaRef, int line, int[] process) {
    Optional<String> via = viaRef.map(r -> resolve(r, line));
    List<EndpointAddress> endpoints = new ArrayList<>();
    for (String n : via.map(List::of).orElse(cluster.nodes())) {
      cluster.clientAddress(n).ifPresent(a -> endpoints.add(EndpointAddress.parse(a, "client address of " + n)));
    }
    String f = op instanceof Statement.Op.Set ? "write" : op instanceof Statement.Op.Get ? "read" : "cas";
    Object value = op instanceof Statement.Op.Set s ? s.value()
        : op instanceof Statement.Op.Cas c ? Arrays.asList(c.expected(), c.newValue()) : null;
    String node = via.orElse(null);
    if (endpoints.isEmpty()) {
      // Nothing to talk to: the operation certainly did not happen.
      history.invoke(process[0], f, op.key(), value, node);
      history.complete(process[0], HistoryRecorder.Outcome.FAIL, f, op.key(), value, node);
      return new OpOutcome(null, null, via.map(n -> n + " is not running").orElse("no node is running"));
    }
    ClientOptions opts = ClientOptions.builder().totalDeadline(options.opTimeout())
        .callTimeout(via.isPresent() ? options.opTimeout() : min(options.opTimeout(), Duration.ofSeconds(2))).build();
    history.invoke(process[0], f, op.key(), value, node);
    try (RaftlabClient client = via.isPresent() ? RaftlabClient.forNode(endpoints.get(0), opts)
        : RaftlabClient.connect(endpoints, opts)) {
      Object answer;
      if (op instanceof Statement.Op.Set s) {
        answer = client.put(s.key(), s.value());
        history.complete(process[0], HistoryRecorder.Outcome.OK, f, op.key(), value, node);
      } else if (op instanceof Statement.Op.Get) {
        GetResult g = client.get(op.key());
        answer = g;
        history.complete(process[0], HistoryRecorder.Outcome.OK, f, op.key(), g.value().orElse(null), node);
      } else {
        Statement.Op.Cas c = (Statement.Op.Cas) op;
        CompareAndSetResult r = client.compareAndSet(c.key(), c.expected(), c.newValue());
        answer = r;
        history.complete(process[0], r.succeeded() ? HistoryRecorder.Outcome.OK : HistoryRecorder.Outcome.FAIL, f,
            op.key(), value, node);
      }
      return new OpOutcome(answer, null, null);
    } catch (KvException e) {
      boolean unknown = e.outcome() == KvException.Outcome.UNKNOWN;
      history.complete(process[0], unknown ? HistoryRecorder.Outcome.INFO : HistoryRecorder.Outcome.FAIL, f, op.key(),
          value, node);
      if (unknown) {
        process[0] = newProcess(); // a process whose operation may still take effect does no more (Jepsen's rule)
      }
      return new OpOutcome(null, e, null);
    }
  }

  private static String answered(Object answer) {
    ResponseInfo info = answer instanceof PutResult p ? p.info() : answer instanceof GetResult g ? g.info()
        : ((CompareAndSetResult) answer).info();
    return "answered by " + info.nodeId() + " at term " + info.term() + ", index " + info.index();
  }

  private static String failure(OpOutcome o) {
    return o.failure() != null ? o.failure().getMessage() : o.node();
  }

  private void clientOp(Statement.ClientOp c, int[] process) {
    OpOutcome o = perform(c.op(), c.via(), c.line(), process);
    if (o.answer() == null) {
      throw failed(c, "no answer: " + failure(o));
    }
    String shown = o.answer() instanceof GetResult g ? "value " + g.value().map(v -> "'" + v + "'").orElse("absent")
        : o.answer() instanceof CompareAndSetResult r ? (r.succeeded() ? "swapped" : "not swapped, value "
            + r.current().map(v -> "'" + v + "'").orElse("absent")) : "ok";
    progress.printf("          %s, %s%n", shown, answered(o.answer()));
  }

  private void expectGet(Statement.ExpectGet g, int[] process) {
    long deadline = System.nanoTime() + g.within().orElse(Duration.ZERO).toNanos();
    while (true) {
      OpOutcome o = perform(new Statement.Op.Get(g.key()), g.via(), g.line(), process);
      String saw;
      if (o.answer() instanceof GetResult r) {
        if (g.match().matches(r.value())) {
          progress.printf("          %s, %s%n", r.value().map(v -> "'" + v + "'").orElse("absent"), answered(r));
          return;
        }
        saw = "saw " + r.value().map(v -> "'" + v + "'").orElse("no value") + ", " + answered(r);
      } else {
        saw = "saw no answer: " + failure(o);
      }
      if (System.nanoTime() >= deadline || stopping) {
        throw failed(g, saw);
      }
      sleep(Duration.ofMillis(200));
    }
  }

  private void expectFail(Statement.ExpectFail f, int[] process) {
    OpOutcome o = perform(f.op(), f.via(), f.line(), process);
    if (o.answer() instanceof CompareAndSetResult r && !r.succeeded()) {
      progress.printf("          not swapped, as expected%n");
      return;
    }
    if (o.answer() != null) {
      throw failed(f, "saw it succeed, " + answered(o.answer()));
    }
    progress.printf("          did not succeed, as expected: %s%n", failure(o));
  }

  // ---- blocks and time ----------------------------------------------------------------------------

  private void after(Statement.After a) {
    int process = newProcess();
    Thread t = new Thread(() -> {
      try {
        sleepUnlessStopped(a.delay());
        if (!stopping) {
          runSteps(a.body(), process);
        }
      } catch (RuntimeException e) {
        firstFailure.compareAndSet(null, e);
      }
    }, "after-line-" + a.line());
    t.setDaemon(true);
    blocks.add(t);
    t.start();
  }

  /** The script's end waits for its blocks; a block still running after 5 minutes is an error. */
  private void awaitBlocks() {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    for (Thread t : blocks) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        throw new StepError(0, scenario.source() + ": the block " + t.getName() + " did not finish within 5m", null);
      }
    }
  }

  /** Sleeps, but wakes early once the run is stopping or a block has failed (the caller then stops). */
  private void sleepUnlessStopped(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0 && !stopping && firstFailure.get() == null) {
      sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepError(0, "interrupted", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 && ms > 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
