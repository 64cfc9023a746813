package io.raftlab.cli;

import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.Implementations;
import io.raftlab.chaos.bench.FailoverTrials;
import io.raftlab.chaos.bench.FailoverTrials.TimeoutRange;
import io.raftlab.chaos.bench.FailoverTrials.Trial;
import io.raftlab.server.launch.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftlab failover}: kills the leader again and again and measures how long the cluster is
 * without a leader and without successful writes, per implementation and election timeout range.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = {
      "Leader failover trials (Raft paper, Figure 16): wait for a stable leader, SIGKILL it, time until a new",
      "leader is seen and until a write succeeds, restart the node, repeat. Writes DIR/failover-IMPL-MIN-MAX.csv",
      "and one CDF plot per implementation, DIR/failover-IMPL.png. etcd needs root, iptables and etcd-server.",
      "Exit codes: 0 done, 2 bad input or a trial could not be done."
    })
public final class FailoverCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--impl", split = ",", defaultValue = "raftlab", paramLabel = "NAME,...",
      description = "Implementations: raftlab, etcd (default ${DEFAULT-VALUE}).")
  List<String> impls;

  @Option(names = "--nodes", defaultValue = "5", description = "Cluster size, 3..9 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--trials", defaultValue = "100", description = "Trials per setting, 1..10000 (default ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--timeouts", split = ",", defaultValue = "150-300", paramLabel = "MIN-MAX,...",
      description = "Election timeout ranges in ms (default ${DEFAULT-VALUE}). etcd takes MIN only: it randomizes in [MIN, 2 x MIN).")
  List<String> timeouts;

  // 2.5 s: a restarted JVM takes most of a core for its first 2-3 s, and 2.5 s from its first read
  // gave faster failovers than 1 s in alternated runs (docs/PERFORMANCE.md, "Twelfth session").
  @Option(names = "--settle", defaultValue = "2500",
      description = "ms a leader must have held its place, unbroken, and every node been up and serving, before the leader is killed "
          + "(default ${DEFAULT-VALUE}: a restarted JVM starting up takes CPU from the next election).")
  long settleMillis;

  @Option(names = "--poll", defaultValue = "20",
      description = "ms between polling rounds while the harness waits for the new leader (default ${DEFAULT-VALUE}). Each round asks "
          + "every node for its state, which takes CPU from the election being timed; the new leader's own clock, where the "
          + "implementation tells it, does not depend on this.")
  long pollMillis;

  @Option(names = "--pre-vote", defaultValue = "false",
      description = "Run elections with pre-vote on every implementation (default off, as in the paper's Figure 16 and etcd 3.4).")
  boolean preVote;

  @Option(names = "--set", paramLabel = "NAME=VALUE",
      description = "An implementation parameter added to (or overriding) the failover settings, for every implementation listed "
          + "(for raftlab: see raftlab server --help); repeatable.")
  Map<String, String> extra = new LinkedHashMap<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the CSV files and plots.")
  Path out;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    if (nodes < 3 || nodes > 9) {
      err.println("--nodes: must be 3..9, got " + nodes);
      return 2;
    }
    if (pollMillis < 0 || pollMillis > 10_000) {
      err.println("--poll: must be 0..10000 ms, got " + pollMillis);
      return 2;
    }
    if (trials < 1 || trials > 10_000) {
      err.println("--trials: must be 1..10000, got " + trials);
      return 2;
    }
    List<TimeoutRange> ranges;
    try {
      ranges = timeouts.stream().map(TimeoutRange::parse).toList();
      for (String impl : impls) {
        implementation(impl);
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Files.createDirectories(out);
    for (String impl : impls) {
      Map<String, List<Trial>> bySetting = new LinkedHashMap<>();
      for (TimeoutRange r : ranges) {
        Map<String, String> settings = FailoverTrials.settingsFor(impl, r, preVote);
        settings.putAll(extra);
        Path dir = Files.createTempDirectory("raftlab-failover-" + impl);
        // The nodes' data and logs stay for inspection (each role change is logged with its time).
        String jvm = impl.equals("raftlab") ? "; node JVM options " + LocalCluster.nodeJavaOpts(settings) : "";
        err.println(impl + " " + r + " ms: settings " + settings + jvm + "; nodes' data and logs in " + dir);
        List<Trial> result;
        try {
          result = FailoverTrials.run(implementation(impl), dir, nodes, settings, trials,
              Duration.ofMillis(settleMillis), Duration.ofMillis(pollMillis), err::println);
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
          // A cluster that would not start (a --set the nodes refuse, say) or a trial that could not be done.
          err.println("failover " + impl + " " + r + " ms: " + e.getMessage());
          return 2;
        }
        FailoverTrials.writeCsv(out.resolve("failover-" + impl + "-" + r + ".csv"), result);
        bySetting.put(r + " ms", result);
      }
      FailoverTrials.writeCdf(out.resolve("failover-" + impl + ".png"), impl + ": time to a new leader after killing the leader (" + nodes + " nodes)", bySetting);
    }
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }

  private static Implementation implementation(String name) {
    return Implementations.byName(name);
  }
}
