package io.raftlab.cli;

import io.raftlab.core.PlantedBug;
import io.raftlab.sim.SeedSweep;
import io.raftlab.sim.SimOptions;
import io.raftlab.sim.SimResult;
import io.raftlab.sim.Simulation;
import io.raftlab.sim.bench.CoreBenchmark;
import io.raftlab.sim.invariant.Property;
import io.raftlab.sim.record.RunRecorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftlab sim}: runs the deterministic simulator on one seed (printing its trace) or sweeps
 * many seeds. Exit code 0 when no invariant was violated, 1 when one was, 2 for bad arguments.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Runs raftlab-core clusters in a deterministic simulation with faults, checking Raft's safety",
      "properties after every step. One seed prints its trace; --seeds sweeps many.",
      "A step is one simulator event: a tick, a message delivery, a disk write completing, a client",
      "or fault event."
    })
public final class SimCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--seed", description = "Seed of the run, or first seed of a sweep (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--seeds", description = "Sweep this many seeds from --seed upward (0 = run one seed).")
  long seeds = 0;

  @Option(names = "--nodes", description = "Cluster size, 1..64 (default ${DEFAULT-VALUE}).")
  int nodes = 5;

  @Option(names = "--steps", description = "Simulator events per seed (default ${DEFAULT-VALUE}).")
  long steps = 2000;

  @Option(names = "--bug", description = "Plant a core bug and use its fault profile: ${COMPLETION-CANDIDATES}.")
  List<PlantedBug> bugs = List.of();

  @Option(names = "--quiet", description = "Print only the summary (and any violation).")
  boolean quiet;

  @Option(names = "--out", description = "Write history.jsonl, nemesis.jsonl and states.jsonl here (a sweep writes"
      + " one subdirectory per violating seed).")
  Path out;

  @Option(names = "--bench", description = "Measure throughput: whole simulator, invariant checks, and the core alone.")
  boolean bench;

  @Option(names = "--threads", description = "Threads for a sweep (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--no-faults", description = "Turn every network and node fault off.")
  boolean noFaults;

  @Option(names = "--skip-check", description = "Do not check this property (to show a test depends on it): "
      + "${COMPLETION-CANDIDATES}.")
  List<Property> skipChecks = List.of();

  @Option(names = "--tick-ms") Integer tickMs;
  @Option(names = "--election-ticks-min") Integer electionTicksMin;
  @Option(names = "--election-ticks-max") Integer electionTicksMax;
  @Option(names = "--heartbeat-ticks") Integer heartbeatTicks;
  @Option(names = "--max-entries-per-append") Integer maxEntriesPerAppend;
  @Option(names = "--pre-vote", arity = "1") Boolean preVote;
  @Option(names = "--check-quorum", arity = "1") Boolean checkQuorum;
  @Option(names = "--clock-skew", description = "Per-node tick rate deviation, 0..0.5.") Double clockSkew;
  @Option(names = "--persist-min-us") Integer persistMinUs;
  @Option(names = "--persist-max-us") Integer persistMaxUs;
  @Option(names = "--drop-rate", description = "Probability a message is dropped.") Double dropRate;
  @Option(names = "--dup-rate", description = "Probability a message is delivered twice.") Double dupRate;
  @Option(names = "--delay-min-us") Integer delayMinUs;
  @Option(names = "--delay-max-us") Integer delayMaxUs;
  @Option(names = "--long-delay-rate", description = "Probability of an extra delay up to --long-delay-max-ms.")
  Double longDelayRate;
  @Option(names = "--long-delay-max-ms") Integer longDelayMaxMs;
  @Option(names = "--partition-rate", description = "Partitions per simulated second.") Double partitionRate;
  @Option(names = "--kill-rate", description = "Crashes per simulated second.") Double killRate;
  @Option(names = "--pause-rate", description = "Pauses per simulated second.") Double pauseRate;
  @Option(names = "--transfer-rate", description = "Leadership transfers per simulated second.") Double transferRate;
  @Option(names = "--crash-after-vote-rate", description = "Probability a node crashes right after granting a vote.")
  Double crashAfterVoteRate;
  @Option(names = "--crash-on-commit-rate", description = "Probability a leader crashes as it advances its commit.")
  Double crashOnCommitRate;
  @Option(names = "--crash-before-send-rate", description = "Probability a leader crashes after persisting new"
      + " entries, before sending them.")
  Double crashBeforeSendRate;
  @Option(names = "--crash-before-vote-write-rate", description = "Probability a candidate crashes just before its"
      + " own term and vote reach disk (its vote requests have left); the write is lost.")
  Double crashBeforeVoteWriteRate;
  @Option(names = "--leader-bias", description = "Probability a kill, pause or partition targets the leader.")
  Double leaderBias;
  @Option(names = "--fault-min-ms") Integer faultMinMs;
  @Option(names = "--fault-max-ms") Integer faultMaxMs;
  @Option(names = "--clients") Integer clients;
  @Option(names = "--keys") Integer keys;
  @Option(names = "--read-fraction") Double readFraction;
  @Option(names = "--cas-fraction") Double casFraction;
  @Option(names = "--client-timeout-ms") Integer clientTimeoutMs;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    SimOptions options;
    try {
      options = options();
      if (steps < 1) {
        throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
      }
      if (seeds < 0) {
        throw new IllegalArgumentException("--seeds must be >= 0, got " + seeds);
      }
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException("--threads must be in 1..256, got " + threads);
      }
    } catch (IllegalArgumentException e) {
      stderr.println("raftlab sim: " + e.getMessage());
      stderr.flush();
      return 2;
    }
    try {
      if (bench) {
        return bench(options, stdout);
      }
      return seeds == 0 ? single(options, stdout) : sweep(options, stdout, stderr);
    } catch (IOException e) {
      stderr.println("raftlab sim: cannot write run directory " + out + ": " + e.getMessage());
      stderr.flush();
      return 2;
    } finally {
      stdout.flush();
      stderr.flush();
    }
  }

  private SimOptions options() {
    Set<PlantedBug> bugSet = bugs.isEmpty() ? Set.of() : EnumSet.copyOf(bugs);
    SimOptions.Builder b = SimOptions.profileFor(bugSet).toBuilder().nodes(nodes);
    if (noFaults) {
      b = b.build().withoutFaults().toBuilder();
    }
    if (!skipChecks.isEmpty()) {
      b.skippedChecks(EnumSet.copyOf(skipChecks));
    }
    if (tickMs != null) b.tickMillis(tickMs);
    if (electionTicksMin != null) b.electionTicksMin(electionTicksMin);
    if (electionTicksMax != null) b.electionTicksMax(electionTicksMax);
    if (heartbeatTicks != null) b.heartbeatTicks(heartbeatTicks);
    if (maxEntriesPerAppend != null) b.maxEntriesPerAppend(maxEntriesPerAppend);
    if (preVote != null) b.preVote(preVote);
    if (checkQuorum != null) b.checkQuorum(checkQuorum);
    if (clockSkew != null) b.clockSkew(clockSkew);
    if (persistMinUs != null) b.persistMinMicros(persistMinUs);
    if (persistMaxUs != null) b.persistMaxMicros(persistMaxUs);
    if (dropRate != null) b.dropRate(dropRate);
    if (dupRate != null) b.dupRate(dupRate);
    if (delayMinUs != null) b.delayMinMicros(delayMinUs);
    if (delayMaxUs != null) b.delayMaxMicros(delayMaxUs);
    if (longDelayRate != null) b.longDelayRate(longDelayRate);
    if (longDelayMaxMs != null) b.longDelayMaxMillis(longDelayMaxMs);
    if (partitionRate != null) b.partitionRate(partitionRate);
    if (killRate != null) b.killRate(killRate);
    if (pauseRate != null) b.pauseRate(pauseRate);
    if (transferRate != null) b.transferRate(transferRate);
    if (crashAfterVoteRate != null) b.crashAfterVoteRate(crashAfterVoteRate);
    if (crashOnCommitRate != null) b.crashOnCommitRate(crashOnCommitRate);
    if (crashBeforeSendRate != null) b.crashBeforeSendRate(crashBeforeSendRate);
    if (crashBeforeVoteWriteRate != null) b.crashBeforeVoteWriteRate(crashBeforeVoteWriteRate);
    if (leaderBias != null) b.leaderBias(leaderBias);
    if (faultMinMs != null) b.faultMinMillis(faultMinMs);
    if (faultMaxMs != null) b.faultMaxMillis(faultMaxMs);
    if (clients != null) b.clients(clients);
    if (keys != null) b.keys(keys);
    if (readFraction != null) b.readFraction(readFraction);
    if (casFraction != null) b.casFraction(casFraction);
    if (clientTimeoutMs != null) b.clientTimeoutMillis(clientTimeoutMs);
    SimOptions built = b.build();
    // Core validation too (e.g. heartbeat below election timeout), so errors show before the run.
    built.coreConfig(List.of("n1"));
    return built;
  }

  private int single(SimOptions options, PrintWriter stdout) throws IOException {
    Simulation sim = new Simulation(seed, options);
    if (!quiet) {
      sim.traceTo(stdout::println);
    }
    RunRecorder recorder = out == null ? null : new RunRecorder();
    if (recorder != null) {
      sim.recordTo(recorder);
    }
    SimResult r = sim.run(steps);
    if (recorder != null) {
      recorder.writeTo(out);
    }
    // Only simulated quantities here, so the same seed prints the same bytes.
    stdout.printf(Locale.ROOT, "seed %d: %d steps, %.3f ms simulated, %d elections, %d committed, %d core steps,"
            + " %d messages (%d dropped, %d duplicated), %d faults, clients ok/fail/info %d/%d/%d%n",
        r.seed(), r.steps(), r.simulatedNanos() / 1e6, r.elections(), r.committed(), r.coreSteps(), r.messagesSent(),
        r.messagesDropped(), r.messagesDuplicated(), r.faults(), r.clientOk(), r.clientFail(), r.clientInfo());
    if (r.violated()) {
      stdout.print(r.violationReport());
      return 1;
    }
    stdout.println("no violation");
    return 0;
  }

  private int sweep(SimOptions options, PrintWriter stdout, PrintWriter stderr) throws IOException {
    ProgressBar bar = quiet ? null : new ProgressBar(stderr, seeds);
    SeedSweep.Summary s = new SeedSweep(options, steps, threads).run(seed, seeds, false,
        bar == null ? null : bar::update);
    if (bar != null) {
      bar.finish();
    }
    stdout.printf(Locale.ROOT, "%-8s %-10s %-10s %-9s %-11s %-9s %s%n", "seeds", "steps", "elections", "commits",
        "violations", "time", "steps/s");
    stdout.printf(Locale.ROOT, "%-8d %-10d %-10d %-9d %-11d %-9s %.0f%n", s.seeds(), s.steps(), s.elections(),
        s.commits(), s.violations().size(), String.format(Locale.ROOT, "%.2fs", s.wallNanos() / 1e9),
        s.stepsPerSecond());
    if (s.violations().isEmpty()) {
      return 0;
    }
    stdout.println();
    stdout.print(s.violations().get(0).violationReport());
    stdout.println();
    stdout.println("violating seeds (" + s.violations().size() + "):");
    int shown = 0;
    for (SimResult v : s.violations()) {
      if (shown++ == 20) {
        stdout.println("  ...");
        break;
      }
      stdout.println("  " + v.violation().property().title() + ": " + v.replayCommand());
      if (out != null && shown <= 10) {
        // Runs are deterministic: replaying the seed reproduces it, this time recording files.
        RunRecorder recorder = new RunRecorder();
        new Simulation(v.seed(), options).recordTo(recorder).run(v.steps());
        recorder.writeTo(out.resolve("seed-" + v.seed()));
      }
    }
    return 1;
  }

  private int bench(SimOptions options, PrintWriter stdout) {
    long count = seeds == 0 ? 200 : seeds;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    // Warm up the JIT on a few seeds first, so the figures describe steady state.
    for (long s = 0; s < Math.min(50, count); s++) {
      new Simulation(seed + s, options).run(steps);
      new Simulation(seed + s, options, false).run(steps);
    }
    long withChecks = 0;
    long withoutChecks = 0;
    long simSteps = 0;
    long coreSteps = 0;
    long ok = 0;
    long simulated = 0;
    int violations = 0;
    for (long s = 0; s < count; s++) {
      long c0 = mx.getCurrentThreadCpuTime();
      SimResult r = new Simulation(seed + s, options).run(steps);
      long c1 = mx.getCurrentThreadCpuTime();
      new Simulation(seed + s, options, false).run(r.steps());
      long c2 = mx.getCurrentThreadCpuTime();
      withChecks += c1 - c0;
      withoutChecks += c2 - c1;
      simSteps += r.steps();
      coreSteps += r.coreSteps();
      ok += r.clientOk();
      simulated += r.simulatedNanos();
      violations += r.violated() ? 1 : 0;
    }
    CoreBenchmark.run(options.nodes(), 1_000_000, 4, seed); // warm-up
    CoreBenchmark.Result core = CoreBenchmark.run(options.nodes(), 5_000_000, 4, seed);
    double cpu = withChecks / 1e9;
    stdout.printf(Locale.ROOT, "bench: %d seeds x %d steps, %d nodes, one thread (rates per CPU-second of that thread)%n",
        count, steps, options.nodes());
    stdout.printf(Locale.ROOT, "  whole simulator:   %,.0f sim steps/s, %,.0f core steps/s, %,.0f client ops ok/s"
        + " (%,.1f ok per simulated second)%n", simSteps / cpu, coreSteps / cpu, ok / cpu, ok / (simulated / 1e9));
    stdout.printf(Locale.ROOT, "  invariant checks:  %.0f ms of %.0f ms CPU (%.1f%%)%n",
        Math.max(0, withChecks - withoutChecks) / 1e6, withChecks / 1e6,
        100.0 * Math.max(0, withChecks - withoutChecks) / withChecks);
    stdout.printf(Locale.ROOT, "  core alone:        %,.0f core steps/s (%d steps, %d nodes, FIFO network,"
        + " instant disk, no faults, no checks)%n", core.stepsPerCpuSecond(), core.coreSteps(), options.nodes());
    stdout.printf(Locale.ROOT, "  violations:        %d%n", violations);
    return violations == 0 ? 0 : 1;
  }

  /** A one-line progress bar on stderr, redrawn at most once per percent. */
  static final class ProgressBar {
    private final PrintWriter err;
    private final long total;
    private long lastPercent = -1;

    ProgressBar(PrintWriter err, long total) {
      this.err = err;
      this.total = total;
    }

    synchronized void update(long done) {
      long percent = done * 100 / total;
      if (percent == lastPercent) {
        return;
      }
      lastPercent = percent;
      int width = 40;
      int filled = (int) (done * width / total);
      err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " seeds");
      err.flush();
    }

    synchronized void finish() {
      err.println();
      err.flush();
    }
  }
}
