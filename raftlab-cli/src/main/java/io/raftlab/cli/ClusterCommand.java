package io.raftlab.cli;

import io.raftlab.server.launch.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftlab cluster up|down|status}: a local cluster of real node processes. */
@Command(
    name = "cluster",
    description = "Start, inspect and stop a local cluster of raftlab node processes.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterStatusCommand.class})
public final class ClusterCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "up", description = "Start N nodes on loopback (ports chosen by the OS), wait for a leader, and leave them running.")
  static final class Up implements Callable<Integer> {
    @Option(names = {"-n", "--nodes"}, defaultValue = "3", description = "cluster size (1 to 99) [${DEFAULT-VALUE}]")
    int nodes;

    @Option(names = "--cluster-dir", defaultValue = "raftlab-cluster", description = "where data, logs and cluster.json go [${DEFAULT-VALUE}]")
    Path dir;

    @Option(names = "--set", description = "a node parameter NAME=VALUE (see raftlab server --help); repeatable")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "60s", description = "how long to wait for the nodes and a leader [${DEFAULT-VALUE}]")
    String timeout;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || nodes > 99) {
        System.err.println("raftlab cluster up: --nodes must be in 1..99, got " + nodes);
        return 2;
      }
      Path file = dir.resolve(LocalCluster.CLUSTER_FILE);
      if (java.nio.file.Files.exists(file)) {
        try {
          List<String> stopped = LocalCluster.stopDetached(dir, Duration.ZERO);
          if (!stopped.isEmpty()) {
            System.err.println("raftlab cluster up: a cluster is already running in " + dir + " (" + stopped
                + " were alive and have been stopped); run it again to start a new one");
            return 2;
          }
        } catch (java.io.IOException ignored) {
          // unreadable leftovers: start over
        }
      }
      Duration wait;
      try {
        wait = DurationOption.parse(timeout, "--timeout", Duration.ofSeconds(1), Duration.ofMinutes(30));
      } catch (IllegalArgumentException e) {
        System.err.println("raftlab cluster up: " + e.getMessage());
        return 2;
      }
      LocalCluster cluster = LocalCluster.start(dir, nodes, params, wait);
      cluster.detach();
      String leader = cluster.awaitLeader(wait);
      System.out.printf("%-4s %-8s %-22s %s%n", "NODE", "PID", "CLIENT ADDRESS", "LOG");
      for (String id : cluster.ids()) {
        System.out.printf("%-4s %-8d %-22s %s%n", id, cluster.pid(id), cluster.clientAddress(id), cluster.logFile(id));
      }
      System.out.println("leader: " + leader + "; cluster file: " + dir.resolve(LocalCluster.CLUSTER_FILE).toAbsolutePath());
      System.out.println("stop it with: raftlab cluster down --cluster-dir " + dir);
      return 0;
    }
  }

  @Command(name = "down", description = "Stop the nodes of a local cluster (SIGTERM, then SIGKILL); data stays unless --purge.")
  static final class Down implements Callable<Integer> {
    @Option(names = "--cluster-dir", defaultValue = "raftlab-cluster", description = "[${DEFAULT-VALUE}]")
    Path dir;

    @Option(names = "--purge", description = "also delete the cluster directory")
    boolean purge;

    @Override
    public Integer call() throws Exception {
      List<String> stopped;
      try {
        stopped = LocalCluster.stopDetached(dir, Duration.ofSeconds(5));
      } catch (java.io.IOException e) {
        System.err.println("raftlab cluster down: " + e.getMessage());
        return 2;
      }
      System.out.println("stopped: " + (stopped.isEmpty() ? "nothing was running" : String.join(", ", stopped)));
      if (purge) {
        try (var paths = java.nio.file.Files.walk(dir)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println("removed " + dir);
      }
      return 0;
    }
  }
}
