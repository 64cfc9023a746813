package io.raftlab.chaos.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark run: the settings, one {@link BenchResult} per client count (with node counter
 * rates when the nodes' metrics were reachable), written as a table and as JSON.
 */
public final class BenchRun {

  /** One setting's result and the per-second counter rates of each node during its window. */
  public record Row(BenchResult result, Map<String, Map<String, Double>> nodeRates) {}

  private final BenchOptions options;
  private final Map<String, Object> environment;
  private final List<Row> rows = new ArrayList<>();

  /** {@code environment}: free-form facts for the JSON file (cluster, endpoints, started pids, ...). */
  public BenchRun(BenchOptions options, Map<String, Object> environment) {
    this.options = options;
    this.environment = environment;
  }

  public void add(BenchResult result, Map<String, Map<String, Double>> nodeRates) {
    rows.add(new Row(result, nodeRates));
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** A fixed-width table: one line per setting; latencies in milliseconds. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    boolean several = rows.stream().map(r -> r.result().system()).distinct().count() > 1;
    sb.append(String.format(Locale.ROOT, "%s%-6s %8s %12s %9s %9s %9s %9s %9s %8s %11s%n", several ? String.format("%-8s ", "system") : "",
        "op", "clients", "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "fsyncs/s"));
    for (Row row : rows) {
      BenchResult r = row.result();
      sb.append(String.format(Locale.ROOT, "%s%-6s %8d %,12.0f %9.2f %9.2f %9.2f %9.2f %9.2f %8d %11s%n",
          several ? String.format("%-8s ", r.system()) : "",
          r.op().label(), r.clients(), r.operationsPerSecond(), r.p50Micros() / 1000.0, r.p90Micros() / 1000.0,
          r.p99Micros() / 1000.0, r.p999Micros() / 1000.0, r.maxMicros() / 1000.0, r.errorCount(), fsyncs(row)));
    }
    return sb.toString();
  }

  /**
   * {@code a} against {@code b} for every (op, clients) both measured: throughput ratio a/b and
   * latency ratios a/b (below 1 means a is faster). Empty if they share no setting.
   */
  public String ratioTable(String a, String b) {
    StringBuilder sb = new StringBuilder();
    for (Row ra : rows) {
      if (!ra.result().system().equals(a)) {
        continue;
      }
      for (Row rb : rows) {
        BenchResult x = ra.result();
        BenchResult y = rb.result();
        if (y.system().equals(b) && y.op() == x.op() && y.clients() == x.clients() && y.operationsPerSecond() > 0) {
          if (sb.length() == 0) {
            sb.append(String.format(Locale.ROOT, "%-6s %8s %14s %14s %14s%n", "op", "clients",
                "ops/s " + a + "/" + b, "p50 " + a + "/" + b, "p99 " + a + "/" + b));
          }
          sb.append(String.format(Locale.ROOT, "%-6s %8d %14.2f %14.2f %14.2f%n", x.op().label(), x.clients(),
              x.operationsPerSecond() / y.operationsPerSecond(), ratio(x.p50Micros(), y.p50Micros()), ratio(x.p99Micros(), y.p99Micros())));
        }
      }
    }
    return sb.toString();
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** The busiest node's fsyncs per second (the leader's, in a healthy run), or "-". */
  private static String fsyncs(Row row) {
    return row.nodeRates().values().stream()
        .map(m -> m.getOrDefault(NodeCounters.NAMES[0], 0.0))
        .max(Double::compare)
        .map(v -> String.format(Locale.ROOT, "%,.0f", v))
        .orElse("-");
  }

  public void writeJson(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    ObjectNode settings = root.putObject("settings");
    settings.put("op", options.op().label());
    settings.put("warmupMillis", options.warmup().toMillis());
    settings.put("durationMillis", options.duration().toMillis());
    settings.put("keySize", options.keySize());
    settings.put("valueSize", options.valueSize());
    settings.put("keySpace", options.keySpace());
    settings.put("seed", options.seed());
    root.set("environment", json.valueToTree(environment));
    var results = root.putArray("results");
    for (Row row : rows) {
      BenchResult r = row.result();
      ObjectNode n = results.addObject();
      n.put("system", r.system());
      n.put("op", r.op().label());
      n.put("clients", r.clients());
      n.put("measuredMillis", r.measuredNanos() / 1_000_000);
      n.put("operations", r.operations());
      n.put("operationsPerSecond", Math.round(r.operationsPerSecond() * 10) / 10.0);
      ObjectNode lat = n.putObject("latencyMicros");
      lat.put("mean", Math.round(r.meanMicros() * 10) / 10.0);
      lat.put("p50", r.p50Micros());
      lat.put("p90", r.p90Micros());
      lat.put("p99", r.p99Micros());
      lat.put("p99.9", r.p999Micros());
      lat.put("max", r.maxMicros());
      n.put("errorCount", r.errorCount());
      n.set("errors", json.valueToTree(r.errors()));
      n.set("nodeCountersPerSecond", json.valueToTree(row.nodeRates()));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, json.writeValueAsString(root));
  }
}
