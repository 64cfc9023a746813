package io.raftlab.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.RaftlabImplementation;
import io.raftlab.chaos.cluster.RaftlabCluster;
import io.raftlab.chaos.history.HistoryRecorder;
import io.raftlab.chaos.history.NemesisRecorder;
import io.raftlab.chaos.history.StateRecorder;
import io.raftlab.chaos.monitor.InvariantMonitor;
import io.raftlab.chaos.monitor.InvariantTracker;
import io.raftlab.chaos.report.RunReport;
import io.raftlab.chaos.workload.KvWorkload;
import io.raftlab.server.launch.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A chaos run against a local raftlab cluster: real node processes (peer links through a proxy mesh), concurrent clients recording
 * a history, and a nemesis that, one fault at a time, kills the leader or another node with
 * SIGKILL (data kept) or pauses one with SIGSTOP, then restarts or resumes it. At the end the
 * history is checked for linearizability and {@code report.html} is written. Meanwhile an
 * {@link InvariantMonitor} polls every node's inspection state (one leader per term, terms and
 * commits never going back, committed prefixes agreeing). Faults are drawn
 * from the seed; process timing is real, so two runs of one seed share the fault plan, not the
 * interleaving.
 */
public final class KillRestartRun {

  public record Options(int nodes, int clients, int keys, Duration duration, Duration faultEvery, long seed, Path out,
      Map<String, String> nodeParams) {}

  public record Result(Path runDir, RunReport.Outcome report, long ok, long fail, long info, int faults,
      List<InvariantTracker.Violation> violations, long monitorPolls) {}

  private KillRestartRun() {}

  public static Result run(Options o, PrintStream progress) throws Exception {
    Files.createDirectories(o.out());
    Path runDir = o.out();
    SplittableRandom random = new SplittableRandom(o.seed());
    progress.printf("starting %d raftlab nodes in %s%n", o.nodes(), runDir.resolve("cluster"));
    Implementation raftlab = new RaftlabImplementation();
    try (RaftlabCluster underTest = (RaftlabCluster) raftlab.start(new ClusterRequest(runDir.resolve("cluster"), o.nodes(), o.nodeParams(),
             Duration.ofSeconds(60)));
         HistoryRecorder history = new HistoryRecorder(runDir.resolve("history.jsonl"));
         NemesisRecorder nemesis = new NemesisRecorder(runDir.resolve("nemesis.jsonl"))) {
      LocalCluster cluster = underTest.local();
      String leader = cluster.awaitLeader(Duration.ofSeconds(60));
      progress.printf("leader is %s; %d clients on %d keys for %ss, a fault every %ss%n", leader, o.clients(), o.keys(),
          o.duration().toSeconds(), o.faultEvery().toSeconds());
      StateRecorder sampler = new StateRecorder(runDir.resolve("states.jsonl"), Duration.ofMillis(100), () -> StateRecorder.inspect(cluster, Duration.ofMillis(200)));
      InvariantMonitor monitor = new InvariantMonitor(cluster.ids(),
          id -> cluster.isAlive(id) ? Optional.ofNullable(cluster.clientAddress(id)) : Optional.empty(), Duration.ofMillis(200)).start();
      KvWorkload workload = new KvWorkload(history, raftlab, underTest,
          KvWorkload.Options.standard(o.clients(), o.keys(), o.seed(), Duration.ofSeconds(1)));
      workload.start();
      long end = System.nanoTime() + o.duration().toNanos();
      while (System.nanoTime() < end) {
        Thread.sleep(Math.min(o.faultEvery().toMillis(), Math.max(0, (end - System.nanoTime()) / 1_000_000)));
        if (System.nanoTime() >= end) {
          break;
        }
        injectOne(cluster, nemesis, random, progress);
        progress.printf("  %d ok, %d failed, %d unknown so far%n", history.okCount(), history.failCount(), history.infoCount());
      }
      workload.close();
      sampler.close();
      monitor.pollOnce();
      monitor.close();
      List<InvariantTracker.Violation> violations = monitor.violations();
      for (InvariantTracker.Violation v : violations) {
        progress.println("INVARIANT VIOLATED: " + v);
      }
      writeResults(runDir, o, history, nemesis, violations, monitor.polls(), monitor.prefixChecks());
      progress.printf("workload done: %d ok, %d failed, %d unknown; %d faults%n",
          history.okCount(), history.failCount(), history.infoCount(), nemesis.faultCount());
      history.close();
      nemesis.close();
      RunReport.Outcome report = RunReport.write(runDir);
      return new Result(runDir, report, history.okCount(), history.failCount(), history.infoCount(), nemesis.faultCount(),
          violations, monitor.polls());
    }
  }

  /** One fault, held for 0.5 to 2 s, then healed; at most one node is ever down, a minority. */
  private static void injectOne(LocalCluster cluster, NemesisRecorder nemesis, SplittableRandom random, PrintStream progress) throws Exception {
    String leader;
    try {
      leader = cluster.awaitLeader(Duration.ofSeconds(10));
    } catch (IOException e) {
      leader = null;
    }
    List<String> ids = cluster.ids();
    double dice = random.nextDouble();
    String target = (dice < 0.6 && leader != null) ? leader : ids.get(random.nextInt(ids.size()));
    long holdMs = 500 + random.nextInt(1500);
    if (dice < 0.85) {
      String what = target.equals(leader) ? "kill the leader " + target : "kill " + target;
      progress.printf("  nemesis: %s (SIGKILL), restart after %d ms%n", what, holdMs);
      nemesis.start("kill", List.of(target), what);
      cluster.kill(target);
      Thread.sleep(holdMs);
      cluster.restart(target, Duration.ofSeconds(60));
      nemesis.stop("kill", List.of(target), "restarted " + target);
    } else {
      progress.printf("  nemesis: pause %s (SIGSTOP) for %d ms%n", target, holdMs);
      nemesis.start("pause", List.of(target), "SIGSTOP " + target);
      cluster.pause(target);
      Thread.sleep(holdMs);
      cluster.resume(target);
      nemesis.stop("pause", List.of(target), "SIGCONT " + target);
    }
  }

  private static void writeResults(Path runDir, Options o, HistoryRecorder h, NemesisRecorder n,
      List<InvariantTracker.Violation> violations, long polls, long prefixChecks) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode r = json.createObjectNode();
    r.put("implementation", "raftlab");
    r.put("nodes", o.nodes());
    r.put("clients", o.clients());
    r.put("keys", o.keys());
    r.put("duration_s", o.duration().toSeconds());
    r.put("seed", o.seed());
    r.put("ok", h.okCount());
    r.put("fail", h.failCount());
    r.put("info", h.infoCount());
    r.put("faults", n.faultCount());
    r.put("monitor_polls", polls);
    r.put("monitor_prefix_checks", prefixChecks);
    var vs = r.putArray("invariant_violations");
    violations.forEach(v -> vs.add(v.toString()));
    r.put("replay", "raftlab demo --nodes " + o.nodes() + " --clients " + o.clients() + " --duration " + o.duration().toSeconds()
        + "s --seed " + o.seed());
    json.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("results.json").toFile(), r);
  }
}
