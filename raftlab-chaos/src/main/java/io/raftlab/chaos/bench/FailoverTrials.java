package io.raftlab.chaos.bench;

import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.OpResult;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Leader failover, measured as in the Raft paper's Figure 16: per trial, wait for a stable leader,
 * SIGKILL it, and time until the surviving nodes agree on a new leader and until a client write
 * succeeds again; then restart the killed node, wait until it serves a read, and let the cluster
 * settle: no node may have restarted and the next leader must have held its place for the settle
 * period. The new leader is observed by polling the implementation's status
 * ({@code ClusterUnderTest.leader}), so that time carries the polling's delay (a status round trip
 * per node, and the followers learning of the leader). Where the implementation tells when the new leader won ({@code leaderSince}: raftlab's
 * GetState, etcd's log), the trial also records that instant against the kill's, on the one clock
 * of this machine: the time without a leader as the paper measures it.
 */
public final class FailoverTrials {

  /**
   * One trial: which node was killed, who took over, and the times from the kill (ms): until the new
   * leader won by its own clock ({@code electedMillis}, NaN when the implementation does not tell),
   * until polling saw a majority follow it, and until a write succeeded. {@code exitMillis}: until the
   * killed process had exited. Its memory is freed by then, and on one machine the kernel does that
   * on a CPU the survivors need for their election.
   */
  public record Trial(int number, String killed, String newLeader, double electedMillis, double leaderMillis, double writeMillis,
      double exitMillis) {

    /** The time without a leader: when the leader won if known, else when polling saw it. */
    public double withoutLeaderMillis() {
      return Double.isNaN(electedMillis) ? leaderMillis : electedMillis;
    }
  }

  /** An election timeout range in ms, written "MIN-MAX" (e.g. "150-300"). */
  public record TimeoutRange(int minMillis, int maxMillis) {
    public TimeoutRange {
      if (minMillis < 1 || maxMillis < minMillis) {
        throw new IllegalArgumentException("timeout range: need 1 <= min <= max, got " + minMillis + "-" + maxMillis);
      }
    }

    public static TimeoutRange parse(String s) {
      String[] p = s.trim().split("-");
      try {
        if (p.length == 2) {
          return new TimeoutRange(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new IllegalArgumentException("timeouts: '" + s + "' is not MIN-MAX in ms, e.g. 150-300");
    }

    @Override
    public String toString() {
      return minMillis + "-" + maxMillis;
    }
  }

  private FailoverTrials() {}

  /**
   * The implementation's settings for an election timeout range. raftlab takes the range as is,
   * heartbeats at a third of the minimum and ticks every 1 ms. etcd takes one election timeout and
   * randomizes it itself in [timeout, 2 x timeout): it gets the range's minimum, with a heartbeat
   * (etcd's tick) of a tenth of it, so the range's maximum is not used. Pre-vote is set the same on
   * both: the paper's Figure 16 measured Raft without it (it came later, dissertation section 9.6),
   * and etcd 3.4 has it off by default, while raftlab has it on.
   */
  public static Map<String, String> settingsFor(String implementation, TimeoutRange r, boolean preVote) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("pre-vote", String.valueOf(preVote));
    switch (implementation) {
      case "raftlab" -> {
        s.put("election-timeout-min-millis", String.valueOf(r.minMillis()));
        s.put("election-timeout-max-millis", String.valueOf(r.maxMillis()));
        s.put("heartbeat-millis", String.valueOf(Math.max(1, r.minMillis() / 3)));
        // 1 ms ticks: the finest randomization the server takes. The loop sleeps until a timer is
        // due rather than waking per tick, so fine ticks cost an idle node nothing.
        s.put("tick-millis", "1");
      }
      case "etcd" -> {
        int heartbeat = Math.max(1, r.minMillis() / 10);
        s.put("heartbeat-interval", String.valueOf(heartbeat));
        s.put("election-timeout", String.valueOf(Math.max(r.minMillis(), 5 * heartbeat)));
      }
      default -> throw new IllegalArgumentException("impl: no failover settings for '" + implementation + "'; known: raftlab, etcd");
    }
    return s;
  }

  /**
   * Runs {@code trials} trials on one cluster of {@code nodes} nodes started with {@code settings}.
   * {@code poll} is the pause between polling rounds after the kill.
   */
  public static List<Trial> run(Implementation impl, Path dir, int nodes, Map<String, String> settings, int trials,
      Duration settle, Duration poll, Consumer<String> progress) throws Exception {
    if (trials < 1) {
      throw new IllegalArgumentException("trials: at least 1, got " + trials);
    }
    List<Trial> out = new ArrayList<>();
    try (ClusterUnderTest cluster = impl.start(new ClusterRequest(dir, nodes, settings, Duration.ofSeconds(120)).withoutFaultNetwork())) {
      long disturbedAt = System.nanoTime(); // the last start or restart of a node
      for (int i = 1; i <= trials; i++) {
        String leader = stableLeader(cluster, settle, disturbedAt);
        List<String> survivors = cluster.nodes().stream().filter(n -> !n.equals(leader)).toList();
        try (KvClient client = impl.client(cluster, ClientRoute.standard(survivors, Duration.ofSeconds(1)))) {
          Instant killedAt = Instant.now();
          long t0 = System.nanoTime();
          cluster.kill(leader); // returns once the process has exited
          double exitMs = (System.nanoTime() - t0) / 1e6;
          String next = null;
          while (next == null) {
            Optional<String> l = cluster.leader(Duration.ofMillis(1)); // one polling round
            if (l.isPresent() && !l.get().equals(leader)) {
              next = l.get();
            } else if (System.nanoTime() - t0 > Duration.ofSeconds(60).toNanos()) {
              throw new IllegalStateException("trial " + i + ": no new leader 60 s after killing " + leader);
            } else {
              // A breath between rounds: back-to-back status calls would take CPU from the election
              // being timed (the winner's own clock gives the precise time where the implementation tells).
              Thread.sleep(poll.toMillis());
            }
          }
          double leaderMs = (System.nanoTime() - t0) / 1e6;
          double electedMs = cluster.leaderSince(next)
              .map(at -> Duration.between(killedAt, at).toNanos() / 1e6).orElse(Double.NaN);
          OpResult w;
          do {
            w = client.write("failover", "trial-" + i);
          } while (w.outcome() != OpResult.Outcome.OK && System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos());
          if (w.outcome() != OpResult.Outcome.OK) {
            throw new IllegalStateException("trial " + i + ": no successful write 60 s after killing " + leader + ": " + w);
          }
          double writeMs = (System.nanoTime() - t0) / 1e6;
          out.add(new Trial(i, leader, next, electedMs, leaderMs, writeMs, exitMs));
          // The wall-clock time of the kill lets a reader line the trial up with the nodes' logs.
          progress.accept(String.format(Locale.ROOT,
              "trial %d/%d: killed %s at %s (exited after %.1f ms), %s won after %.1f ms, seen leading after %.1f ms,"
                  + " write ok after %.1f ms",
              i, trials, leader, LocalTime.ofInstant(killedAt, ZoneId.systemDefault())
                  .truncatedTo(ChronoUnit.MILLIS), exitMs, next, electedMs, leaderMs, writeMs));
        }
        cluster.restart(leader);
        awaitServing(impl, cluster, leader, i);
        disturbedAt = System.nanoTime();
      }
    }
    return out;
  }

  /**
   * Waits until a read through the restarted node succeeds: it is up, knows the leader and has
   * caught up far enough to serve (forward) a linearizable read. Only then does the settle period
   * start, so the next kill does not land while the restarted process is still starting.
   */
  private static void awaitServing(Implementation impl, ClusterUnderTest cluster, String node, int trial) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (KvClient pinned = impl.client(cluster, ClientRoute.pinned(node, Duration.ofSeconds(1)))) {
      while (pinned.read("failover").outcome() != OpResult.Outcome.OK) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("trial " + trial + ": restarted " + node + " did not serve a read within 60 s");
        }
        Thread.sleep(20);
      }
    }
  }

  /**
   * A leader that has held its place for {@code settle}, in a cluster where no node has (re)started for
   * {@code settle} either ({@code disturbedAt}, System.nanoTime). The restarted node's start counts: the
   * leader of the previous trial had usually held its place long enough by the time the restarted
   * node first served, so the next kill landed while that JVM was about two seconds old and still took
   * most of a core of the two (loading and compiling its code; docs/PERFORMANCE.md, "Eleventh session"). Where the
   * implementation tells when the leader won ({@code leaderSince}), its tenure is its own, unbroken
   * one: a leader that lost and won again in between (churn while a restarted node warms up) starts
   * over. Otherwise the same node must be leader before and after the settle period.
   */
  static String stableLeader(ClusterUnderTest cluster, Duration settle, long disturbedAt) throws InterruptedException {
    long quietAt = disturbedAt + settle.toNanos();
    while (System.nanoTime() < quietAt) {
      Thread.sleep(Math.max(1, (quietAt - System.nanoTime()) / 1_000_000));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> a = cluster.leader(Duration.ofSeconds(30));
      if (a.isEmpty()) {
        continue;
      }
      Optional<Instant> since = cluster.leaderSince(a.get());
      if (since.isPresent()) {
        Duration held = Duration.between(since.get(), Instant.now());
        if (held.compareTo(settle) >= 0) {
          return a.get();
        }
        Thread.sleep(Math.max(20, settle.minus(held).toMillis()));
        continue;
      }
      Thread.sleep(settle.toMillis());
      Optional<String> b = cluster.leader(Duration.ofSeconds(5));
      if (a.equals(b)) {
        return a.get();
      }
    }
    throw new IllegalStateException("no leader held its place for " + settle.toMillis() + " ms within 120 s");
  }

  public static void writeCsv(Path file, List<Trial> trials) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println("trial,killed,new_leader,elected_ms,leader_ms,write_ms,exit_ms");
      for (Trial t : trials) {
        String elected = Double.isNaN(t.electedMillis()) ? "" : String.format(Locale.ROOT, "%.3f", t.electedMillis());
        w.printf(Locale.ROOT, "%d,%s,%s,%s,%.3f,%.3f,%.3f%n", t.number(), t.killed(), t.newLeader(), elected, t.leaderMillis(),
            t.writeMillis(), t.exitMillis());
      }
    }
  }

  /**
   * A CDF per setting, as in Figure 16 of the Raft paper: x = ms from the kill until a new leader
   * ({@link Trial#withoutLeaderMillis}), y = cumulative percent of trials.
   */
  public static void writeCdf(Path png, String title, Map<String, List<Trial>> bySetting) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
        .xAxisTitle("time without leader (ms)").yAxisTitle("cumulative percent").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setYAxisDecimalPattern("#");
    for (Map.Entry<String, List<Trial>> e : bySetting.entrySet()) {
      double[] xs = e.getValue().stream().mapToDouble(Trial::withoutLeaderMillis).sorted().toArray();
      if (xs.length == 0) {
        continue;
      }
      double[] ys = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        ys[i] = 100.0 * (i + 1) / xs.length;
      }
      XYSeries s = chart.addSeries(e.getKey(), xs, ys);
      s.setMarker(SeriesMarkers.NONE);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
