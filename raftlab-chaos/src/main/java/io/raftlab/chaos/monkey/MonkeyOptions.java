package io.raftlab.chaos.monkey;

import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.plan.PlanGenerator;
import io.raftlab.chaos.workload.KvWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the monkey runs.
 *
 * @param implementations one or more implementations; every plan runs on each
 * @param plans how many plans (0..plans-1) when {@code planIndex} is null
 * @param planIndex run only this plan (its seed as in the full run), or null
 * @param repeat trials per plan and implementation
 * @param parallel trials at once (never the same plan twice at once)
 * @param clients background workload clients per trial (0: none)
 * @param mode how the background clients pick nodes
 * @param seed the run seed; plan i's seed is {@link PlanGenerator#planSeed(long, int)}
 * @param generator the plan generator's options (nodes, events, weights, bound)
 * @param settings the implementation's parameters
 * @param callTimeout the deadline of one client call
 * @param startTimeout how long a cluster may take to start, and to become stable
 * @param replayPrefix the command line that reruns this run, without {@code --plan-index}
 */
public record MonkeyOptions(List<Implementation> implementations, int plans, Integer planIndex, int repeat, int parallel,
    int clients, KvWorkload.Mode mode, long seed, Path out, PlanGenerator.Options generator, Map<String, String> settings,
    Duration callTimeout, Duration startTimeout, String replayPrefix) {

  public MonkeyOptions {
    if (implementations.isEmpty()) {
      throw new IllegalArgumentException("--impl: name at least one implementation");
    }
    implementations = List.copyOf(implementations);
    check(plans >= 1 && plans <= 1_000_000, "--plans", plans, "1..1000000");
    if (planIndex != null) {
      check(planIndex >= 0, "--plan-index", planIndex, "0.." + Integer.MAX_VALUE);
    }
    check(repeat >= 1 && repeat <= 1000, "--repeat", repeat, "1..1000");
    check(parallel >= 1 && parallel <= 64, "--parallel", parallel, "1..64");
    check(clients >= 0 && clients <= 256, "--clients", clients, "0..256");
    settings = Map.copyOf(settings);
  }

  public int nodes() {
    return generator.nodes();
  }

  /** The plan indexes this run covers. */
  public List<Integer> planIndexes() {
    if (planIndex != null) {
      return List.of(planIndex);
    }
    return java.util.stream.IntStream.range(0, plans).boxed().toList();
  }

  public String replay(int plan) {
    return replayPrefix + " --plan-index " + plan;
  }

  private static void check(boolean ok, String option, long value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(option + ": " + value + " is outside the allowed range " + allowed);
    }
  }
}
