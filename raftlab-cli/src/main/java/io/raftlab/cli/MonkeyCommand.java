package io.raftlab.cli;

import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.Implementations;
import io.raftlab.chaos.monkey.Monkey;
import io.raftlab.chaos.monkey.MonkeyOptions;
import io.raftlab.chaos.plan.PlanGenerator;
import io.raftlab.chaos.workload.KvWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftlab monkey}: the Raft Monkey. Random fault-and-operation plans drawn from a seed, each
 * run on fresh clusters (repeatedly, on one or more implementations), every trial checked for
 * linearizability, trials of one plan compared with each other.
 */
@Command(name = "monkey", description = {
    "Run random plans (kills, restarts, pauses, partitions, one-way cuts, bridges, and client GET/SET) on fresh clusters,",
    "with background clients, check every trial for linearizability, compare the trials of each plan, and write",
    "one run directory per trial plus summary.txt and summary.json.",
    "Exit 0: every trial linearizable with invariants held; 1: some trial was not; 2: bad input, or a trial could not run or be decided."})
public final class MonkeyCommand implements Callable<Integer> {

  @Option(names = "--impl", split = ",", defaultValue = "raftlab",
      description = "implementation(s) to test, comma-separated or repeated [${DEFAULT-VALUE}]")
  List<String> impls = new ArrayList<>();

  @Option(names = {"-n", "--nodes"}, defaultValue = "5", description = "cluster size (2..15) [${DEFAULT-VALUE}]")
  int nodes;

  @Option(names = "--plans", defaultValue = "10", description = "how many plans [${DEFAULT-VALUE}]")
  int plans;

  @Option(names = "--events", defaultValue = "100", description = "random events per plan, before the repair tail [${DEFAULT-VALUE}]")
  int events;

  @Option(names = "--seed", description = "run seed; plan i's seed is derived from it [random]")
  Long seed;

  @Option(names = "--mode", defaultValue = "standard",
      description = "background clients: standard (follow the leader) or diabolical (pin each operation to a follower or a node just back) [${DEFAULT-VALUE}]")
  String mode;

  @Option(names = "--repeat", defaultValue = "1", description = "trials per plan and implementation [${DEFAULT-VALUE}]")
  int repeat;

  @Option(names = "--parallel", defaultValue = "1", description = "trials at once (a plan never runs twice at once) [${DEFAULT-VALUE}]")
  int parallel;

  @Option(names = "--clients", defaultValue = "2", description = "background workload clients per trial (0..256) [${DEFAULT-VALUE}]")
  int clients;

  @Option(names = "--keys", defaultValue = "5", description = "keys the plan uses (k1..kN) [${DEFAULT-VALUE}]")
  int keys;

  @Option(names = "--plan-clients", defaultValue = "3", description = "plan clients c0..cN-1 [${DEFAULT-VALUE}]")
  int planClients;

  @Option(names = "--gap", defaultValue = "150ms", description = "mean time between plan events [${DEFAULT-VALUE}]")
  String gap;

  @Option(names = "--call-timeout", defaultValue = "1s", description = "deadline of one client call [${DEFAULT-VALUE}]")
  String callTimeout;

  @Option(names = "--allow-majority-down", description = "let plans kill or pause a majority at once (default: at most a minority)")
  boolean allowMajorityDown;

  @Option(names = "--weight", description = "an event's weight NAME=W (GET SET KILL REV PART PART1 BRIDGE HEAL HEALALL PAUSE RESUME); repeatable")
  Map<String, String> weights = new LinkedHashMap<>();

  @Option(names = "--plan-index", description = "run only plan i of this seed (as printed by an earlier run)")
  Integer planIndex;

  @Option(names = "--out", description = "top run directory [runs/monkey-DATE-TIME]")
  Path out;

  @Option(names = "--set", description = "an implementation parameter NAME=VALUE (for raftlab: see raftlab server --help); repeatable")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    MonkeyOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      System.err.println("raftlab monkey: " + e.getMessage());
      return 2;
    }
    Monkey.Result r = Monkey.run(options, System.out);
    if (r.anyBroken()) {
      return 1;
    }
    return r.anyUndecided() ? 2 : 0;
  }

  MonkeyOptions options() {
    if (nodes < 2 || nodes > 15) {
      throw new IllegalArgumentException("--nodes: " + nodes + " is outside the allowed range 2..15");
    }
    List<Implementation> implementations = new ArrayList<>();
    for (String name : impls) {
      implementations.add(Implementations.byName(name));
    }
    KvWorkload.Mode m;
    try {
      m = KvWorkload.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--mode: '" + mode + "' is not a mode; allowed: standard, diabolical");
    }
    Duration meanGap = DurationOption.parse(gap, "--gap", Duration.ZERO, Duration.ofMinutes(10));
    Duration call = DurationOption.parse(callTimeout, "--call-timeout", Duration.ofMillis(100), Duration.ofMinutes(5));
    PlanGenerator.Options g = PlanGenerator.Options.defaults(nodes, 0);
    g = new PlanGenerator.Options(nodes, events, keys, planClients, meanGap.toMillis(), g.weights(),
        allowMajorityDown ? nodes : PlanGenerator.minority(nodes));
    g = g.withWeights(weights);
    long s = seed != null ? seed : System.nanoTime() & 0xffffff;
    Path dir = out != null ? out : Path.of("runs", "monkey-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    return new MonkeyOptions(implementations, plans, planIndex, repeat, parallel, clients, m, s, dir, g, settings, call,
        Duration.ofSeconds(60), replayPrefix(s));
  }

  private String replayPrefix(long s) {
    StringBuilder b = new StringBuilder("raftlab monkey --impl ").append(String.join(",", impls)).append(" --nodes ").append(nodes)
        .append(" --events ").append(events).append(" --seed ").append(s).append(" --mode ").append(mode.toLowerCase(Locale.ROOT))
        .append(" --repeat ").append(repeat).append(" --clients ").append(clients).append(" --keys ").append(keys)
        .append(" --plan-clients ").append(planClients).append(" --gap ").append(gap).append(" --call-timeout ").append(callTimeout);
    if (allowMajorityDown) {
      b.append(" --allow-majority-down");
    }
    weights.forEach((k, v) -> b.append(" --weight ").append(k).append('=').append(v));
    settings.forEach((k, v) -> b.append(" --set ").append(k).append('=').append(v));
    return b.toString();
  }
}
