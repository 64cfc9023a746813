package io.raftlab.checker.bench;

import io.raftlab.checker.generate.HistoryGenerator;
import io.raftlab.checker.history.History;
import io.raftlab.checker.linearizability.CheckResult;
import io.raftlab.checker.linearizability.LinearizabilityChecker;
import io.raftlab.checker.model.CasRegisterModel;
import io.raftlab.checker.model.KvModel;
import io.raftlab.checker.model.Model;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checker benchmark (run by {@code raftlab check --bench}): (a) 10 clients, 10,000 operations
 * on one register with 5% unknown outcomes; (b) 1,000,000 operations over 1,000 keys. Reports the
 * check time (generation excluded) and the peak heap over generation plus check.
 */
public final class CheckerBenchmark {

  /**
   * One measured case.
   *
   * @param name what was checked
   * @param operations history size
   * @param result the checker's answer
   * @param checkMillis time of the check alone
   * @param peakHeapBytes peak heap (sum of the heap pools' peaks) since just before generating
   */
  public record Measurement(String name, int operations, CheckResult result, long checkMillis, long peakHeapBytes) {
    public String render() {
      return String.format("%-48s %9d ops  %-18s %7d ms  peak heap %5d MiB", name, operations, result.verdict(),
          checkMillis, peakHeapBytes / (1024 * 1024));
    }
  }

  private CheckerBenchmark() {}

  /** Runs both cases twice, prints the cold and warm runs, and returns the warm ones. */
  public static List<Measurement> run(PrintWriter out, Duration timeout) {
    out.println("checker benchmark: " + Runtime.getRuntime().availableProcessors() + " processors, max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    List<Measurement> results = new ArrayList<>();
    HistoryGenerator.Settings a = HistoryGenerator.Settings.register(10_000, 1);
    HistoryGenerator.Settings b = new HistoryGenerator.Settings(10, 1_000_000, 1_000, 0.05, 0.5, 0.6, 1_000_000, 2);
    for (int round = 0; round < 2; round++) {
      Measurement ma = measure("(a) 1 register, 10 clients, 5% info", a, new CasRegisterModel(), timeout);
      Measurement mb = measure("(b) 1,000 keys, 10 clients, 5% info", b, new KvModel(), timeout);
      if (round == 1) {
        results.add(ma);
        results.add(mb);
      } else {
        out.println("cold (first run, JIT not warmed up):");
        out.println("  " + ma.render());
        out.println("  " + mb.render());
        out.println("warm (second run):");
      }
    }
    results.forEach(m -> out.println("  " + m.render()));
    out.flush();
    return results;
  }

  private static Measurement measure(String name, HistoryGenerator.Settings settings, Model<?> model, Duration timeout) {
    System.gc();
    resetPeaks();
    History history = HistoryGenerator.generate(settings);
    long start = System.nanoTime();
    CheckResult result = LinearizabilityChecker.check(history, model, timeout);
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Measurement(name, history.size(), result, millis, peakHeap());
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  public static void main(String[] args) {
    run(new PrintWriter(System.out, true), Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 60));
  }
}
