package io.raftlab.chaos.monkey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.plan.Plan;
import io.raftlab.chaos.plan.PlanGenerator;
import io.raftlab.checker.diff.DifferentialAnalysis;
import io.raftlab.checker.history.History;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Raft Monkey: random plans, each run {@code repeat} times on every implementation, each trial
 * on a fresh cluster in its own run directory; then, per plan, a differential analysis of the plan
 * clients' results across its trials, and a summary table ({@code summary.txt}, {@code summary.json}).
 */
public final class Monkey {

  /**
   * @param trials every trial, in plan, implementation, repeat order
   * @param differences per plan, how many plan operations differ across its trials (absent: fewer than 2 trials)
   */
  public record Result(Path out, List<TrialResult> trials, Map<Integer, Integer> differences) {
    /** A trial was not linearizable or broke an invariant. */
    public boolean anyBroken() {
      return trials.stream().anyMatch(TrialResult::broken);
    }

    /** A trial could not run or could not be decided. */
    public boolean anyUndecided() {
      return trials.stream().anyMatch(t -> t.verdict().equals("ERROR") || t.verdict().equals("UNKNOWN"));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MonkeyOptions options;
  private final PrintStream out;

  private Monkey(MonkeyOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static Result run(MonkeyOptions options, PrintStream out) throws Exception {
    return new Monkey(options, out).run();
  }

  private Result run() throws Exception {
    Files.createDirectories(options.out());
    PlanGenerator generator = new PlanGenerator(options.generator());
    Map<Integer, Plan> plans = new TreeMap<>();
    Map<Integer, Long> seeds = new TreeMap<>();
    for (int i : options.planIndexes()) {
      long s = PlanGenerator.planSeed(options.seed(), i);
      seeds.put(i, s);
      plans.put(i, generator.generate(s));
    }
    // Repeat-major order, so that parallel workers rarely wait for a plan that is already running.
    List<Trial.Spec> specs = new ArrayList<>();
    for (int r = 0; r < options.repeat(); r++) {
      for (int i : plans.keySet()) {
        for (Implementation impl : options.implementations()) {
          Path dir = options.out().resolve(String.format("plan-%03d", i)).resolve(impl.name() + "-r" + r);
          specs.add(new Trial.Spec(i, seeds.get(i), plans.get(i), r, impl, dir));
        }
      }
    }
    ProgressLine progress = new ProgressLine(out, specs.size());
    progress.println(String.format("raftlab monkey: %d plans x %d repeats x %d implementations = %d trials, %d nodes, seed %d, %s clients x %d",
        plans.size(), options.repeat(), options.implementations().size(), specs.size(), options.nodes(), options.seed(),
        options.mode().name().toLowerCase(), options.clients()));
    Map<Trial.Spec, Trial.Finished> finished = new Scheduler(specs, progress).runAll();

    Map<Integer, Integer> differences = new TreeMap<>();
    List<TrialResult> results = new ArrayList<>();
    for (int i : plans.keySet()) {
      List<Trial.Finished> group = specs.stream().filter(s -> s.plan() == i).sorted(java.util.Comparator
          .comparing((Trial.Spec s) -> s.implementation().name()).thenComparingInt(Trial.Spec::repeat)).map(finished::get).toList();
      group.forEach(f -> results.add(f.result()));
      List<Trial.Finished> comparable = group.stream().filter(f -> f.planHistory() != null && f.planHistory().size() > 0).toList();
      Path planDir = options.out().resolve(String.format("plan-%03d", i));
      if (comparable.size() >= 2) {
        List<History> histories = comparable.stream().map(Trial.Finished::planHistory).toList();
        DifferentialAnalysis.Report report = DifferentialAnalysis.compare(histories.stream().map(History::source).toList(), histories);
        differences.put(i, report.differences().size());
        Files.writeString(planDir.resolve("differences.txt"), report.renderTable(), StandardCharsets.UTF_8);
      }
    }
    progress.end();
    Result result = new Result(options.out(), results, differences);
    String table = summaryTable(result);
    out.print(table);
    Files.writeString(options.out().resolve("summary.txt"), table, StandardCharsets.UTF_8);
    writeSummaryJson(result, seeds);
    out.println("summary: " + options.out().resolve("summary.txt").toAbsolutePath());
    return result;
  }

  /** Runs the trials on {@code parallel} workers; a plan never runs twice at once. */
  private final class Scheduler {
    private final List<Trial.Spec> waiting;
    private final ProgressLine progress;
    private final Set<Integer> busyPlans = new HashSet<>();
    private final Map<Trial.Spec, Trial.Finished> done = new LinkedHashMap<>();
    private final Map<Integer, Integer> leftPerPlan = new TreeMap<>();

    Scheduler(List<Trial.Spec> specs, ProgressLine progress) {
      this.waiting = new ArrayList<>(specs);
      this.progress = progress;
      specs.forEach(s -> leftPerPlan.merge(s.plan(), 1, Integer::sum));
    }

    Map<Trial.Spec, Trial.Finished> runAll() throws InterruptedException {
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < options.parallel(); w++) {
        Thread t = new Thread(this::work, "monkey-worker-" + w);
        workers.add(t);
        t.start();
      }
      for (Thread t : workers) {
        t.join();
      }
      return done;
    }

    private synchronized Trial.Spec next() throws InterruptedException {
      while (true) {
        if (waiting.isEmpty()) {
          return null;
        }
        for (Trial.Spec s : waiting) {
          if (!busyPlans.contains(s.plan())) {
            waiting.remove(s);
            busyPlans.add(s.plan());
            return s;
          }
        }
        wait();
      }
    }

    private void work() {
      try {
        Trial.Spec s;
        while ((s = next()) != null) {
          progress.started();
          Trial.Finished f;
          try {
            f = Trial.run(s, options);
          } catch (IOException | RuntimeException e) {
            TrialResult r = new TrialResult(s.plan(), s.repeat(), s.implementation().name(), s.dir(), 0, 0, 0, 0, "ERROR", false, List.of(),
                e.toString(), 0);
            f = new Trial.Finished(r, null);
          }
          TrialResult r = f.result();
          progress.finished(r.broken());
          if (r.broken() || r.error() != null) {
            progress.println(String.format("plan %d %s: %s%s%s  (%s)", s.plan(), r.label(), r.verdict(),
                r.violations().isEmpty() ? "" : ", invariant violated: " + r.violations().get(0),
                r.error() == null ? "" : ", " + r.error(), r.dir()));
          }
          boolean planDone;
          synchronized (this) {
            done.put(s, f);
            busyPlans.remove(s.plan());
            planDone = leftPerPlan.merge(s.plan(), -1, Integer::sum) == 0;
            notifyAll();
          }
          if (planDone) {
            int plan = s.plan();
            long bad;
            synchronized (this) {
              bad = done.entrySet().stream().filter(e -> e.getKey().plan() == plan && e.getValue().result().broken()).count();
            }
            progress.println(String.format("plan %d done%s; replay: %s", plan, bad == 0 ? "" : " (" + bad + " broken trials)",
                options.replay(plan)));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String summaryTable(Result r) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("plan", "trial", "impl", "ok", "fail", "info", "faults", "verdict", "invariants", "differences", "seconds"));
    for (TrialResult t : r.trials()) {
      rows.add(List.of(String.valueOf(t.plan()), "r" + t.repeat(), t.implementation(), String.valueOf(t.ok()), String.valueOf(t.fail()),
          String.valueOf(t.info()), String.valueOf(t.faults()), t.verdict(), !t.monitored() ? "-" : t.violations().isEmpty() ? "held" : t.violations().size() + " broken",
          r.differences().containsKey(t.plan()) ? String.valueOf(r.differences().get(t.plan())) : "-",
          String.format("%.1f", t.elapsedMillis() / 1000.0)));
    }
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    long broken = r.trials().stream().filter(TrialResult::broken).count();
    long undecided = r.trials().stream().filter(t -> t.verdict().equals("ERROR") || t.verdict().equals("UNKNOWN")).count();
    b.append(r.trials().size()).append(" trials: ").append(broken).append(" broken (not linearizable or invariant violated), ")
        .append(undecided).append(" undecided or failed to run\n");
    return b.toString();
  }

  private void writeSummaryJson(Result r, Map<Integer, Long> seeds) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("seed", options.seed());
    n.put("nodes", options.nodes());
    n.put("events", options.generator().events());
    n.put("repeat", options.repeat());
    n.put("mode", options.mode().name().toLowerCase());
    n.put("clients", options.clients());
    ArrayNode impls = n.putArray("implementations");
    options.implementations().forEach(i -> impls.add(i.name()));
    ArrayNode trials = n.putArray("trials");
    for (TrialResult t : r.trials()) {
      ObjectNode o = trials.addObject();
      o.put("plan", t.plan());
      o.put("plan_seed", seeds.get(t.plan()));
      o.put("repeat", t.repeat());
      o.put("implementation", t.implementation());
      o.put("dir", options.out().relativize(t.dir()).toString());
      o.put("ok", t.ok());
      o.put("fail", t.fail());
      o.put("info", t.info());
      o.put("faults", t.faults());
      o.put("verdict", t.verdict());
      ArrayNode vs = o.putArray("invariant_violations");
      t.violations().forEach(vs::add);
      if (r.differences().containsKey(t.plan())) {
        o.put("differences", r.differences().get(t.plan()));
      }
      if (t.error() != null) {
        o.put("error", t.error());
      }
      o.put("elapsed_ms", t.elapsedMillis());
      o.put("replay", options.replay(t.plan()));
    }
    n.put("broken", r.trials().stream().filter(TrialResult::broken).count());
    JSON.writerWithDefaultPrettyPrinter().writeValue(options.out().resolve("summary.json").toFile(), n);
  }
}
