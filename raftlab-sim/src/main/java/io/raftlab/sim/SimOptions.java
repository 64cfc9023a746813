package io.raftlab.sim;

import io.raftlab.core.Config;
import io.raftlab.core.PlantedBug;
import io.raftlab.sim.invariant.Property;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything a simulated run depends on besides the seed: cluster shape, core timing, network and
 * fault rates, client workload. Rates are per message (probabilities) or per simulated second
 * (fault arrivals). The same options and seed always give the same run.
 *
 * <p>Each {@link PlantedBug} has a fault profile ({@link #profileFor}) that makes it likely to
 * surface; the invariants checked are the same in every profile.
 */
public record SimOptions(
    int nodes,
    Set<PlantedBug> bugs,
    // core timing and batching
    int tickMillis,
    int electionTicksMin,
    int electionTicksMax,
    int heartbeatTicks,
    int maxEntriesPerAppend,
    boolean preVote,
    boolean checkQuorum,
    double clockSkew,
    // persistence
    int persistMinMicros,
    int persistMaxMicros,
    // network
    double dropRate,
    double dupRate,
    int delayMinMicros,
    int delayMaxMicros,
    double longDelayRate,
    int longDelayMaxMillis,
    // faults, per simulated second; leaderBias: chance a kill, pause or partition targets the leader
    double partitionRate,
    double killRate,
    double pauseRate,
    double transferRate,
    double crashAfterVoteRate,
    double crashOnCommitRate,
    double crashBeforeSendRate,
    double crashBeforeVoteWriteRate,
    double leaderBias,
    int faultMinMillis,
    int faultMaxMillis,
    // clients
    int clients,
    int keys,
    double readFraction,
    double casFraction,
    int clientTimeoutMillis,
    // checks switched off (only to show a test depends on a check)
    Set<Property> skippedChecks) {

  public SimOptions {
    bugs = bugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bugs));
    skippedChecks = skippedChecks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(skippedChecks));
    validate(nodes, tickMillis, electionTicksMin, electionTicksMax, heartbeatTicks, maxEntriesPerAppend, clockSkew,
        persistMinMicros, persistMaxMicros, dropRate, dupRate, delayMinMicros, delayMaxMicros, longDelayRate,
        longDelayMaxMillis, partitionRate, killRate, pauseRate, transferRate, crashAfterVoteRate, crashOnCommitRate, crashBeforeSendRate, crashBeforeVoteWriteRate, leaderBias, faultMinMillis,
        faultMaxMillis, clients, keys, readFraction, casFraction, clientTimeoutMillis);
  }

  /** Faults on, at rates that keep a 5-node cluster making progress most of the time. */
  public static SimOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The baseline for a run with these planted bugs: the default profile tuned so each bug is
   * likely to show within a few hundred seeds. With no bug it is {@link #defaults()}.
   */
  public static SimOptions profileFor(Set<PlantedBug> bugs) {
    Builder b = builder().bugs(bugs);
    for (PlantedBug bug : bugs) {
      switch (bug) {
        // Figure 8: old-term entries must trickle out one per append; leaders must die with
        // unreplicated entries (before sending) and right after committing, before their no-op spreads.
        case COMMIT_OLD_TERM_BY_COUNT -> b.maxEntriesPerAppend(1).leaderBias(0.8).crashOnCommitRate(0.5)
            .crashBeforeSendRate(0.5).killRate(10).faultMillis(5, 40);
        // A lagging node must get elected: isolate nodes so they fall behind, then heal; no
        // pre-vote, whose log check would otherwise keep the laggard out.
        case VOTE_WITHOUT_LOG_CHECK -> b.preVote(false).partitionRate(5).killRate(3).faultMillis(50, 400);
        // Voters must restart in the same term they voted in, while the election is still open,
        // and elections must often be split between two candidates.
        case FORGET_VOTE_ON_RESTART -> b.preVote(false).crashAfterVoteRate(0.8).killRate(0).pauseRate(0)
            .partitionRate(1).electionTicks(5, 6).dropRate(0.1);
        // A deposed leader keeps believing it leads (no check-quorum) while clients read from it.
        // Grants must come back while the candidate's own write is in flight (slow disk, fast
        // network), the candidate must die in that write and restart quickly, and a rival that ran
        // for the same term must reach it only then (a long delay) to collect its second vote.
        case COUNT_OWN_VOTE_BEFORE_WRITE -> b.preVote(false).crashBeforeVoteWriteRate(0.8).persistMicros(1_000, 20_000)
            .delayMinMicros(100).delayMaxMicros(1_000).longDelayRate(0.3).longDelayMaxMillis(30).dropRate(0.05)
            .killRate(5).leaderBias(1).faultMillis(1, 5);
        case READ_WITHOUT_QUORUM -> b.checkQuorum(false).leaderBias(0.8).partitionRate(4).killRate(0.5)
            .readFraction(0.6).faultMillis(100, 600);
      }
    }
    return b.build();
  }

  /** No network or node faults; only the workload runs. */
  public SimOptions withoutFaults() {
    return toBuilder().dropRate(0).dupRate(0).longDelayRate(0).partitionRate(0).killRate(0).pauseRate(0)
        .transferRate(0).crashAfterVoteRate(0).crashOnCommitRate(0).crashBeforeSendRate(0)
        .crashBeforeVoteWriteRate(0).build();
  }

  public boolean checks(Property property) {
    return !skippedChecks.contains(property);
  }

  /** The core configuration every node runs with (one per member via {@link Config#forMember}). */
  public Config coreConfig(List<String> members) {
    return Config.builder(members.get(0), members)
        .electionTicks(electionTicksMin, electionTicksMax)
        .heartbeatTicks(heartbeatTicks)
        .maxEntriesPerAppend(maxEntriesPerAppend)
        .preVote(preVote)
        .checkQuorum(checkQuorum)
        .unsafe(!bugs.isEmpty())
        .plantedBugs(bugs)
        .build();
  }

  /**
   * Command-line flags for every option that differs from the profile of this run's bugs, so that
   * {@code raftlab sim --seed S --nodes N --steps M} plus these replays the run exactly.
   */
  public List<String> flagsDifferingFromProfile() {
    SimOptions base = profileFor(bugs);
    List<String> out = new ArrayList<>();
    for (PlantedBug bug : bugs) {
      out.add("--bug");
      out.add(bug.name());
    }
    flag(out, "--tick-ms", tickMillis, base.tickMillis);
    flag(out, "--election-ticks-min", electionTicksMin, base.electionTicksMin);
    flag(out, "--election-ticks-max", electionTicksMax, base.electionTicksMax);
    flag(out, "--heartbeat-ticks", heartbeatTicks, base.heartbeatTicks);
    flag(out, "--max-entries-per-append", maxEntriesPerAppend, base.maxEntriesPerAppend);
    flag(out, "--pre-vote", preVote, base.preVote);
    flag(out, "--check-quorum", checkQuorum, base.checkQuorum);
    flag(out, "--clock-skew", clockSkew, base.clockSkew);
    flag(out, "--persist-min-us", persistMinMicros, base.persistMinMicros);
    flag(out, "--persist-max-us", persistMaxMicros, base.persistMaxMicros);
    flag(out, "--drop-rate", dropRate, base.dropRate);
    flag(out, "--dup-rate", dupRate, base.dupRate);
    flag(out, "--delay-min-us", delayMinMicros, base.delayMinMicros);
    flag(out, "--delay-max-us", delayMaxMicros, base.delayMaxMicros);
    flag(out, "--long-delay-rate", longDelayRate, base.longDelayRate);
    flag(out, "--long-delay-max-ms", longDelayMaxMillis, base.longDelayMaxMillis);
    flag(out, "--partition-rate", partitionRate, base.partitionRate);
    flag(out, "--kill-rate", killRate, base.killRate);
    flag(out, "--pause-rate", pauseRate, base.pauseRate);
    flag(out, "--transfer-rate", transferRate, base.transferRate);
    flag(out, "--crash-after-vote-rate", crashAfterVoteRate, base.crashAfterVoteRate);
    flag(out, "--crash-on-commit-rate", crashOnCommitRate, base.crashOnCommitRate);
    flag(out, "--crash-before-send-rate", crashBeforeSendRate, base.crashBeforeSendRate);
    flag(out, "--crash-before-vote-write-rate", crashBeforeVoteWriteRate, base.crashBeforeVoteWriteRate);
    flag(out, "--leader-bias", leaderBias, base.leaderBias);
    flag(out, "--fault-min-ms", faultMinMillis, base.faultMinMillis);
    flag(out, "--fault-max-ms", faultMaxMillis, base.faultMaxMillis);
    flag(out, "--clients", clients, base.clients);
    flag(out, "--keys", keys, base.keys);
    flag(out, "--read-fraction", readFraction, base.readFraction);
    flag(out, "--cas-fraction", casFraction, base.casFraction);
    flag(out, "--client-timeout-ms", clientTimeoutMillis, base.clientTimeoutMillis);
    for (Property p : skippedChecks) {
      out.add("--skip-check");
      out.add(p.name());
    }
    return out;
  }

  private static void flag(List<String> out, String name, Object value, Object base) {
    if (!value.equals(base)) {
      out.add(name);
      out.add(value instanceof Double d ? formatDouble(d) : String.valueOf(value));
    }
  }

  static String formatDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.valueOf((long) d);
    }
    return String.valueOf(d).toLowerCase(Locale.ROOT);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.nodes = nodes;
    b.bugs = bugs;
    b.tickMillis = tickMillis;
    b.electionTicksMin = electionTicksMin;
    b.electionTicksMax = electionTicksMax;
    b.heartbeatTicks = heartbeatTicks;
    b.maxEntriesPerAppend = maxEntriesPerAppend;
    b.preVote = preVote;
    b.checkQuorum = checkQuorum;
    b.clockSkew = clockSkew;
    b.persistMinMicros = persistMinMicros;
    b.persistMaxMicros = persistMaxMicros;
    b.dropRate = dropRate;
    b.dupRate = dupRate;
    b.delayMinMicros = delayMinMicros;
    b.delayMaxMicros = delayMaxMicros;
    b.longDelayRate = longDelayRate;
    b.longDelayMaxMillis = longDelayMaxMillis;
    b.partitionRate = partitionRate;
    b.killRate = killRate;
    b.pauseRate = pauseRate;
    b.transferRate = transferRate;
    b.crashAfterVoteRate = crashAfterVoteRate;
    b.crashOnCommitRate = crashOnCommitRate;
    b.crashBeforeSendRate = crashBeforeSendRate;
    b.crashBeforeVoteWriteRate = crashBeforeVoteWriteRate;
    b.leaderBias = leaderBias;
    b.faultMinMillis = faultMinMillis;
    b.faultMaxMillis = faultMaxMillis;
    b.clients = clients;
    b.keys = keys;
    b.readFraction = readFraction;
    b.casFraction = casFraction;
    b.clientTimeoutMillis = clientTimeoutMillis;
    b.skippedChecks = skippedChecks;
    return b;
  }

  private static void validate(int nodes, int tickMillis, int electionMin, int electionMax, int heartbeat,
      int maxEntries, double clockSkew, int persistMin, int persistMax, double drop, double dup, int delayMin,
      int delayMax, double longDelayRate, int longDelayMax, double partitionRate, double killRate,
      double pauseRate, double transferRate, double crashAfterVote, double crashOnCommit, double crashBeforeSend, double crashBeforeVoteWrite, double leaderBias, int faultMin, int faultMax, int clients,
      int keys, double readFraction, double casFraction, int clientTimeout) {
    range("nodes", nodes, 1, 64);
    range("tick-ms", tickMillis, 1, 10_000);
    range("election-ticks-min", electionMin, 1, 1_000_000);
    range("election-ticks-max", electionMax, electionMin, 1_000_000);
    range("heartbeat-ticks", heartbeat, 1, 1_000_000);
    range("max-entries-per-append", maxEntries, 1, 1_000_000);
    fraction("clock-skew", clockSkew, 0, 0.5);
    range("persist-min-us", persistMin, 0, 10_000_000);
    range("persist-max-us", persistMax, persistMin, 10_000_000);
    fraction("drop-rate", drop, 0, 1);
    fraction("dup-rate", dup, 0, 1);
    range("delay-min-us", delayMin, 0, 10_000_000);
    range("delay-max-us", delayMax, delayMin, 10_000_000);
    fraction("long-delay-rate", longDelayRate, 0, 1);
    range("long-delay-max-ms", longDelayMax, 0, 1_000_000);
    fraction("partition-rate", partitionRate, 0, 10_000);
    fraction("kill-rate", killRate, 0, 10_000);
    fraction("pause-rate", pauseRate, 0, 10_000);
    fraction("transfer-rate", transferRate, 0, 10_000);
    fraction("crash-after-vote-rate", crashAfterVote, 0, 1);
    fraction("crash-on-commit-rate", crashOnCommit, 0, 1);
    fraction("crash-before-send-rate", crashBeforeSend, 0, 1);
    fraction("crash-before-vote-write-rate", crashBeforeVoteWrite, 0, 1);
    fraction("leader-bias", leaderBias, 0, 1);
    range("fault-min-ms", faultMin, 1, 1_000_000);
    range("fault-max-ms", faultMax, faultMin, 1_000_000);
    range("clients", clients, 0, 1_000);
    range("keys", keys, 1, 250);
    fraction("read-fraction", readFraction, 0, 1);
    fraction("cas-fraction", casFraction, 0, 1);
    if (readFraction + casFraction > 1) {
      throw new IllegalArgumentException("read-fraction + cas-fraction must be <= 1, got "
          + readFraction + " + " + casFraction);
    }
    range("client-timeout-ms", clientTimeout, 1, 1_000_000);
  }

  private static void range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  private static void fraction(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(name + " must be in " + formatDouble(min) + ".." + formatDouble(max)
          + ", got " + value);
    }
  }

  /** Mutable builder; defaults are the default fault profile. */
  public static final class Builder {
    private int nodes = 5;
    private Set<PlantedBug> bugs = Set.of();
    private int tickMillis = 10;
    private int electionTicksMin = 10;
    private int electionTicksMax = 20;
    private int heartbeatTicks = 2;
    private int maxEntriesPerAppend = 64;
    private boolean preVote = true;
    private boolean checkQuorum = true;
    private double clockSkew = 0.05;
    private int persistMinMicros = 50;
    private int persistMaxMicros = 2_000;
    private double dropRate = 0.03;
    private double dupRate = 0.02;
    private int delayMinMicros = 200;
    private int delayMaxMicros = 5_000;
    private double longDelayRate = 0.02;
    private int longDelayMaxMillis = 80;
    private double partitionRate = 8;
    private double killRate = 5;
    private double pauseRate = 3;
    private double transferRate = 2;
    private double crashAfterVoteRate = 0;
    private double crashOnCommitRate = 0;
    private double crashBeforeSendRate = 0;
    private double crashBeforeVoteWriteRate = 0;
    private double leaderBias = 0.3;
    private int faultMinMillis = 20;
    private int faultMaxMillis = 250;
    private int clients = 4;
    private int keys = 3;
    private double readFraction = 0.4;
    private double casFraction = 0.2;
    private int clientTimeoutMillis = 500;
    private Set<Property> skippedChecks = Set.of();

    public Builder nodes(int v) { nodes = v; return this; }
    public Builder bugs(Set<PlantedBug> v) { bugs = v; return this; }
    public Builder tickMillis(int v) { tickMillis = v; return this; }
    public Builder electionTicks(int min, int max) { electionTicksMin = min; electionTicksMax = max; return this; }
    public Builder electionTicksMin(int v) { electionTicksMin = v; return this; }
    public Builder electionTicksMax(int v) { electionTicksMax = v; return this; }
    public Builder heartbeatTicks(int v) { heartbeatTicks = v; return this; }
    public Builder maxEntriesPerAppend(int v) { maxEntriesPerAppend = v; return this; }
    public Builder preVote(boolean v) { preVote = v; return this; }
    public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }
    public Builder clockSkew(double v) { clockSkew = v; return this; }
    public Builder persistMicros(int min, int max) { persistMinMicros = min; persistMaxMicros = max; return this; }
    public Builder persistMinMicros(int v) { persistMinMicros = v; return this; }
    public Builder persistMaxMicros(int v) { persistMaxMicros = v; return this; }
    public Builder dropRate(double v) { dropRate = v; return this; }
    public Builder dupRate(double v) { dupRate = v; return this; }
    public Builder delayMinMicros(int v) { delayMinMicros = v; return this; }
    public Builder delayMaxMicros(int v) { delayMaxMicros = v; return this; }
    public Builder longDelayRate(double v) { longDelayRate = v; return this; }
    public Builder longDelayMaxMillis(int v) { longDelayMaxMillis = v; return this; }
    public Builder partitionRate(double v) { partitionRate = v; return this; }
    public Builder killRate(double v) { killRate = v; return this; }
    public Builder pauseRate(double v) { pauseRate = v; return this; }
    public Builder transferRate(double v) { transferRate = v; return this; }
    public Builder crashAfterVoteRate(double v) { crashAfterVoteRate = v; return this; }
    public Builder crashOnCommitRate(double v) { crashOnCommitRate = v; return this; }
    public Builder crashBeforeSendRate(double v) { crashBeforeSendRate = v; return this; }
    public Builder crashBeforeVoteWriteRate(double v) { crashBeforeVoteWriteRate = v; return this; }
    public Builder leaderBias(double v) { leaderBias = v; return this; }
    public Builder faultMillis(int min, int max) { faultMinMillis = min; faultMaxMillis = max; return this; }
    public Builder faultMinMillis(int v) { faultMinMillis = v; return this; }
    public Builder faultMaxMillis(int v) { faultMaxMillis = v; return this; }
    public Builder clients(int v) { clients = v; return this; }
    public Builder keys(int v) { keys = v; return this; }
    public Builder readFraction(double v) { readFraction = v; return this; }
    public Builder casFraction(double v) { casFraction = v; return this; }
    public Builder clientTimeoutMillis(int v) { clientTimeoutMillis = v; return this; }
    public Builder skippedChecks(Set<Property> v) { skippedChecks = v; return this; }

    public SimOptions build() {
      return new SimOptions(nodes, bugs, tickMillis, electionTicksMin, electionTicksMax, heartbeatTicks,
          maxEntriesPerAppend, preVote, checkQuorum, clockSkew, persistMinMicros, persistMaxMicros, dropRate,
          dupRate, delayMinMicros, delayMaxMicros, longDelayRate, longDelayMaxMillis, partitionRate, killRate,
          pauseRate, transferRate, crashAfterVoteRate, crashOnCommitRate, crashBeforeSendRate, crashBeforeVoteWriteRate, leaderBias, faultMinMillis, faultMaxMillis, clients, keys,
          readFraction, casFraction, clientTimeoutMillis, skippedChecks);
    }
  }
}
