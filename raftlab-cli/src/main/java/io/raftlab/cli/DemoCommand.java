package io.raftlab.cli;

import io.raftlab.chaos.run.KillRestartRun;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftlab demo}: the main job in one command: a local cluster of real raftlab processes
 * put through a chaos run (kill -9 of the leader and other nodes, pauses) under concurrent
 * clients, its history checked for linearizability, and a report.
 */
@Command(name = "demo", description = {
    "Start a local raftlab cluster, run concurrent clients while killing (SIGKILL) and pausing nodes,",
    "check the history for linearizability, and write report.html. Exit 0: linearizable; 1: not; 2: unknown or error."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = {"-n", "--nodes"}, defaultValue = "3", description = "cluster size (2..15) [${DEFAULT-VALUE}]")
  int nodes;

  @Option(names = "--clients", defaultValue = "4", description = "concurrent clients [${DEFAULT-VALUE}]")
  int clients;

  @Option(names = "--keys", defaultValue = "5", description = "keys the clients share [${DEFAULT-VALUE}]")
  int keys;

  @Option(names = "--duration", defaultValue = "20s", description = "how long the clients run [${DEFAULT-VALUE}]")
  String duration;

  @Option(names = "--fault-every", defaultValue = "3s", description = "time between faults [${DEFAULT-VALUE}]")
  String faultEvery;

  @Option(names = "--seed", description = "seed of the fault plan and the clients' choices [random]")
  Long seed;

  @Option(names = "--out", description = "run directory [runs/demo-DATE-TIME]")
  Path out;

  @Option(names = "--set", description = "a node parameter NAME=VALUE (see raftlab server --help); repeatable")
  Map<String, String> nodeParams = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    // At least 2 nodes: the demo's peer links go through a proxy mesh, which needs a peer.
    if (nodes < 2 || nodes > 15 || clients < 1 || clients > 256 || keys < 1 || keys > 1000) {
      System.err.println("raftlab demo: --nodes must be 2..15, --clients 1..256, --keys 1..1000");
      return 2;
    }
    Duration d;
    Duration every;
    try {
      d = DurationOption.parse(duration, "--duration", Duration.ofSeconds(1), Duration.ofHours(24));
      every = DurationOption.parse(faultEvery, "--fault-every", Duration.ofMillis(500), Duration.ofHours(1));
    } catch (IllegalArgumentException e) {
      System.err.println("raftlab demo: " + e.getMessage());
      return 2;
    }
    long s = seed != null ? seed : System.nanoTime() & 0xffffff;
    Path dir = out != null ? out : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    KillRestartRun.Result r = KillRestartRun.run(new KillRestartRun.Options(nodes, clients, keys, d, every, s, dir, nodeParams), System.out);
    var verdict = r.report().verdict();
    System.out.println();
    System.out.println("verdict: " + verdict.headline() + (verdict.kind() == io.raftlab.chaos.report.RunVerdict.Kind.LINEARIZABLE ? "" : " (" + verdict.explanation() + ")"));
    System.out.println("report:  " + r.report().report().toAbsolutePath());
    System.out.println("replay the fault plan: raftlab demo --nodes " + nodes + " --clients " + clients + " --keys " + keys
        + " --duration " + duration + " --fault-every " + faultEvery + " --seed " + s);
    if (!r.violations().isEmpty()) {
      System.out.println("invariants: " + r.violations().size() + " violated (see results.json)");
      return 1;
    }
    System.out.println("invariants: held over " + r.monitorPolls() + " inspection rounds");
    return switch (verdict.kind()) {
      case LINEARIZABLE -> 0;
      case NOT_LINEARIZABLE -> 1;
      case UNKNOWN -> 2;
    };
  }
}
