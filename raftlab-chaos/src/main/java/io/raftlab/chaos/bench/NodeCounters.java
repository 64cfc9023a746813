package io.raftlab.chaos.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters read from each node's Prometheus {@code /metrics} endpoint around a measured window,
 * so a result can say how many fsyncs and Readies per second the nodes did (the usual limit of a
 * durable log: one fsync per batch).
 */
public final class NodeCounters {

  /** What explains write throughput: fsyncs, handled Readies, applied entries, dropped peer messages, leader changes. */
  public static final String[] NAMES = {
    "raftlab_fsync_seconds_count", "raftlab_readies_total", "raftlab_commits_total",
    "raftlab_peer_messages_dropped_total", "raftlab_leader_changes_total"};

  private final Map<String, String> metricsAddresses;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** node id to host:port of its metrics endpoint. */
  public NodeCounters(Map<String, String> metricsAddresses) {
    this.metricsAddresses = Map.copyOf(metricsAddresses);
  }

  /** node id to counter name to value; a node that does not answer is left out. */
  public Map<String, Map<String, Double>> sample() {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : metricsAddresses.entrySet()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + e.getValue() + "/metrics"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        out.put(e.getKey(), parse(r.body()));
      } catch (IOException | RuntimeException ex) {
        // a node that does not answer simply has no figures
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return out;
  }

  /** Sums each counter of {@link #NAMES} over its label sets. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      for (String name : NAMES) {
        if (line.startsWith(name) && (line.length() > name.length())
            && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')) {
          try {
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            values.merge(name, v, Double::sum);
          } catch (NumberFormatException ignored) {
            // not a sample line
          }
        }
      }
    }
    return values;
  }

  /** Per node, per counter: (after - before) / seconds. */
  public static Map<String, Map<String, Double>> rates(
      Map<String, Map<String, Double>> before, Map<String, Map<String, Double>> after, double seconds) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    after.forEach((node, values) -> {
      Map<String, Double> b = before.get(node);
      if (b == null) {
        return;
      }
      Map<String, Double> r = new LinkedHashMap<>();
      values.forEach((name, v) -> {
        if (b.containsKey(name)) {
          r.put(name, (v - b.get(name)) / seconds);
        }
      });
      out.put(node, r);
    });
    return out;
  }
}
