package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftlab.client.RaftlabClient;
import io.raftlab.server.launch.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** raftlab bench against real 3-node clusters (fsync on): short windows, 4 clients. */
class BenchCommandTest {

  private record Outcome(int code, String out, String err) {}

  private static Outcome run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = RaftlabCommand.execute(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  /** Operations counted, at most a few errors, ordered and plausible percentiles. */
  private static void assertSaneResult(JsonNode r, String op) {
    assertThat(r.path("op").asText()).isEqualTo(op);
    assertThat(r.path("clients").asInt()).isEqualTo(4);
    assertThat(r.path("operations").asLong()).isGreaterThan(10);
    assertThat(r.path("errorCount").asLong()).isLessThanOrEqualTo(3);
    JsonNode lat = r.path("latencyMicros");
    long p50 = lat.path("p50").asLong();
    assertThat(p50).isPositive();
    assertThat(p50).isLessThanOrEqualTo(lat.path("p90").asLong());
    assertThat(lat.path("p90").asLong()).isLessThanOrEqualTo(lat.path("p99").asLong());
    assertThat(lat.path("p99").asLong()).isLessThanOrEqualTo(lat.path("max").asLong());
    // Every counted request answered inside the 2 s window.
    assertThat(lat.path("max").asLong()).isLessThanOrEqualTo(2_000_000);
    double rate = r.path("operationsPerSecond").asDouble();
    assertThat(rate).isCloseTo(r.path("operations").asLong() / 2.0, org.assertj.core.data.Offset.offset(1.0));
  }

  @Test
  void putBenchOnAStartedClusterWritesTableAndJsonAndStopsItsNodes(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("put.json");
    Outcome o = run("bench", "--start", "3", "--op", "put", "--clients", "4", "--warmup", "1s", "--duration", "2s",
        "--out", json.toString());

    assertThat(o.code()).as(o.err()).isEqualTo(0);
    assertThat(o.out()).contains("ops/s").containsPattern("put\\s+4\\s");
    assertThat(o.err()).contains("stopped the local cluster");
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.path("settings").path("keySize").asInt()).isEqualTo(8);
    assertThat(root.path("settings").path("valueSize").asInt()).isEqualTo(256);
    assertThat(root.path("environment").path("raftlab").path("transport").asText()).isEqualTo("stream");
    assertThat(root.path("environment").path("driver").asText()).isEqualTo("async");
    assertSaneResult(root.path("results").get(0), "put");
    // The leader fsynced during the window: the counters came from the nodes' /metrics.
    assertThat(root.path("results").get(0).path("nodeCountersPerSecond").size()).isEqualTo(3);
    assertThat(root.path("environment").path("raftlab").path("startedPids")).hasSize(3);
    for (JsonNode pid : root.path("environment").path("raftlab").path("startedPids")) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid.asLong());
      assertThat(h.map(ProcessHandle::isAlive).orElse(false)).as("node pid %s still running", pid).isFalse();
    }
  }

  @Test
  void getBenchAgainstARunningClusterReadsPreloadedKeys(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("get.json");
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), 3, Map.of(), Duration.ofSeconds(60))) {
      cluster.awaitLeader(Duration.ofSeconds(30));
      Outcome o = run("bench", "--cluster-dir", dir.resolve("c").toString(), "--op", "get", "--clients", "4",
          "--key-space", "100", "--warmup", "1s", "--duration", "2s", "--transport", "unary", "--driver", "threads", "--out", json.toString());

      assertThat(o.code()).as(o.err()).isEqualTo(0);
      assertThat(o.err()).contains("preload: 100 keys of 256 bytes written");
      JsonNode root = new ObjectMapper().readTree(json.toFile());
      assertSaneResult(root.path("results").get(0), "get");
      assertThat(root.path("environment").path("raftlab").path("transport").asText()).isEqualTo("unary");
      assertThat(root.path("environment").path("driver").asText()).isEqualTo("threads");
      try (RaftlabClient client = RaftlabClient.connect(String.join(",", cluster.clientAddresses()))) {
        assertThat(client.get("k0000099").value()).hasValueSatisfying(v -> assertThat(v).hasSize(256));
      }
      assertThat(cluster.isAlive("n1")).as("a cluster bench did not start is left running").isTrue();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheOptionAndRange(@TempDir Path dir) {
    Outcome clients = run("bench", "--start", "3", "--clients", "1,0", "--out", dir.resolve("x.json").toString());
    assertThat(clients.code()).isEqualTo(BenchCommand.ERROR);
    assertThat(clients.err()).contains("--clients: 0 is outside the allowed range 1..4096");

    Outcome keys = run("bench", "--start", "3", "--key-size", "3", "--key-space", "1000");
    assertThat(keys.err()).contains("key-size: 3 is outside the allowed range 4..4096");

    Outcome both = run("bench", "--start", "3", "--endpoints", "127.0.0.1:1");
    assertThat(both.err()).contains("--start and --endpoints exclude each other");

    Outcome unknown = run("bench", "--start", "3", "--impl", "raftlab,zookeeper");
    assertThat(unknown.err()).contains("--impl: 'zookeeper' is unknown; allowed: raftlab, etcd");
    Outcome connections = run("bench", "--start", "3", "--connections", "0");
    assertThat(connections.code()).isEqualTo(BenchCommand.ERROR);
    assertThat(connections.err()).contains("--connections: 0 is outside the allowed range 1..1024");
    Outcome transport = run("bench", "--start", "3", "--transport", "pigeon");
    assertThat(transport.err()).contains("--transport: 'pigeon' is not one of unary, stream");
    Outcome driver = run("bench", "--start", "3", "--driver", "fibers");
    assertThat(driver.err()).contains("--driver: 'fibers' is not one of async, threads");
    Outcome etcdWithoutStart = run("bench", "--impl", "etcd", "--endpoints", "127.0.0.1:1");
    assertThat(etcdWithoutStart.err()).contains("--impl etcd needs --start N");
    assertThat(Files.exists(dir.resolve("x.json"))).isFalse();
  }
}
