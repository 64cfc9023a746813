package io.raftlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.bench.BenchOp;
import io.raftlab.chaos.bench.BenchOptions;
import io.raftlab.chaos.bench.BenchResult;
import io.raftlab.chaos.bench.BenchRun;
import io.raftlab.chaos.bench.EtcdKvSystem;
import io.raftlab.chaos.bench.KvSystem;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.etcd.EtcdImplementation;
import io.raftlab.chaos.bench.LoadGenerator;
import io.raftlab.chaos.bench.NodeCounters;
import io.raftlab.chaos.bench.RaftlabKvSystem;
import io.raftlab.client.AdminClient;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.EndpointAddress;
import io.raftlab.server.launch.LocalCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code raftlab bench}: closed-loop load against a running cluster, or against a local cluster it
 * starts (fsync on) and stops afterwards. One measured window per client count.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Closed-loop benchmark: N clients, each sending its next request when the previous one answered.",
      "Prints a table (latencies in ms) and writes the results as JSON. Progress goes to stderr.",
      "Exit codes: 0 done (failed requests are counted in the table), 2 bad input or the run could not be done."
    })
public final class BenchCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int ERROR = 2;
  private static final int MAX_START = 9;
  private static final int MAX_CONNECTIONS = 1024;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClusterTarget target;

  @Option(names = "--impl", split = ",", defaultValue = "raftlab", paramLabel = "NAME,...",
      description = "Systems to measure in turn with the same load: raftlab, etcd (etcd needs --start and root; "
          + "default ${DEFAULT-VALUE}). With both, a table of ratios raftlab/etcd follows.")
  List<String> impls;

  @Option(names = "--start", paramLabel = "N",
      description = "Start a local cluster of N nodes in a temporary directory (fsync on) and stop it afterwards, "
          + "instead of using --endpoints or --cluster-dir (1.." + MAX_START + ").")
  Integer start;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "16",
      description = "Connections the clients share, client i using connection i mod N, for every system alike "
          + "(etcd's own benchmark also shares few connections among many clients; 1.." + MAX_CONNECTIONS
          + "; default ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--clients", paramLabel = "N,N,...", defaultValue = "1,16,256",
      description = "Client counts to run in turn (each 1.." + BenchOptions.MAX_CLIENTS + "; default ${DEFAULT-VALUE}).")
  String clients;

  @Option(names = "--op", paramLabel = "put|get|mixed", defaultValue = "put",
      description = "put: writes; get: linearizable reads after writing every key once; mixed: half of each (default ${DEFAULT-VALUE}).")
  BenchOp op;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
      description = "Measured time per client count, e.g. 10s (100ms..1h; default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "3s",
      description = "Unmeasured time before each window, e.g. 3s (0ms..10m; default ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--key-size", paramLabel = "BYTES", defaultValue = "" + BenchOptions.DEFAULT_KEY_SIZE,
      description = "Bytes per key (default ${DEFAULT-VALUE}).")
  int keySize;

  @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "" + BenchOptions.DEFAULT_VALUE_SIZE,
      description = "Bytes per value (0..1048576; default ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(names = "--key-space", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_KEY_SPACE,
      description = "Number of distinct keys, chosen uniformly (default ${DEFAULT-VALUE}).")
  int keySpace;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed for keys and values (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--connect", paramLabel = "leader|listed", defaultValue = "leader",
      description = "leader: clients talk to the current leader first (as etcd's 'leader only' figures); "
          + "listed: in the order given, so a follower may forward every request (default ${DEFAULT-VALUE}).")
  String connect;

  @Option(names = "--transport", paramLabel = "stream|unary", defaultValue = "stream",
      description = "How the raftlab clients send calls: stream (items of one Batch stream per connection and node, "
          + "many per message) or unary (one gRPC call each); etcd always uses jetcd's unary calls (default ${DEFAULT-VALUE}).")
  String transport;

  @Option(names = "--driver", paramLabel = "async|threads", defaultValue = "async",
      description = "How the load generator drives its clients, for every system alike: async (each client sends its "
          + "next request from the callback of the last, a few threads for all) or threads (one blocking thread per "
          + "client; default ${DEFAULT-VALUE}).")
  String driver;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-result.json",
      description = "Where to write the JSON results (default ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchOptions base;
    List<Integer> counts;
    try {
      counts = parseClients(clients);
      base = new BenchOptions(op, counts.get(0),
          DurationOption.parse(warmup, "--warmup", Duration.ZERO, Duration.ofMinutes(10)),
          DurationOption.parse(duration, "--duration", Duration.ofMillis(100), Duration.ofHours(1)),
          keySize, valueSize, keySpace, seed);
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("--connections: " + connections + " is outside the allowed range 1.." + MAX_CONNECTIONS);
      }
      if (start != null && (start < 1 || start > MAX_START)) {
        throw new IllegalArgumentException("--start: " + start + " is outside the allowed range 1.." + MAX_START);
      }
      if (!connect.equals("leader") && !connect.equals("listed")) {
        throw new IllegalArgumentException("--connect: '" + connect + "' is not one of leader, listed");
      }
      if (!driver.equals("async") && !driver.equals("threads")) {
        throw new IllegalArgumentException("--driver: '" + driver + "' is not one of async, threads");
      }
      if (!transport.equals("unary") && !transport.equals("stream")) {
        throw new IllegalArgumentException("--transport: '" + transport + "' is not one of unary, stream");
      }
      if (start != null && target.endpoints != null) {
        throw new IllegalArgumentException("--start and --endpoints exclude each other: bench either starts a cluster or uses one");
      }
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ERROR;
    }

    for (String impl : impls) {
      if (!impl.equals("raftlab") && !impl.equals("etcd")) {
        err.println("error: --impl: '" + impl + "' is unknown; allowed: raftlab, etcd");
        return ERROR;
      }
      if (impl.equals("etcd") && start == null) {
        err.println("error: --impl etcd needs --start N (bench starts the etcd members itself, in network namespaces)");
        return ERROR;
      }
    }
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("cores", Runtime.getRuntime().availableProcessors());
    environment.put("driver", driver);
    BenchRun run = new BenchRun(base, environment);
    try {
      for (String impl : impls) {
        Map<String, Object> env = new LinkedHashMap<>();
        environment.put(impl, env);
        if (impl.equals("etcd")) {
          measureEtcd(base, counts, run, env, err);
        } else {
          measureRaftlab(base, counts, run, env, err);
        }
      }
      run.writeJson(out);
      stdout.print(run.table());
      if (impls.contains("raftlab") && impls.contains("etcd")) {
        stdout.println();
        stdout.print(run.ratioTable("raftlab", "etcd"));
      }
      stdout.println("results: " + out.toAbsolutePath());
      stdout.flush();
      return OK;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      err.println("error: " + e.getMessage());
      return ERROR;
    }
  }

  /** raftlab: a cluster it starts (and stops) or the one --endpoints / --cluster-dir names. */
  private void measureRaftlab(BenchOptions base, List<Integer> counts, BenchRun run, Map<String, Object> environment, PrintWriter err)
      throws IOException, InterruptedException {
    LocalCluster cluster = null;
    Path tempDir = null;
    try {
      List<EndpointAddress> endpoints;
      Map<String, String> metrics;
      if (start != null) {
        tempDir = Files.createTempDirectory("raftlab-bench-");
        err.println("starting a " + start + "-node raftlab cluster (fsync on) in " + tempDir);
        err.flush();
        cluster = LocalCluster.start(tempDir, start, Map.of(), Duration.ofSeconds(60));
        String leader = cluster.awaitLeader(Duration.ofSeconds(30));
        List<Long> pids = new ArrayList<>();
        for (String id : cluster.ids()) {
          pids.add(cluster.pid(id));
        }
        err.println("leader: " + leader + "; node pids " + pids);
        environment.put("startedNodes", start);
        environment.put("startedPids", pids);
        environment.put("fsync", "always");
        endpoints = cluster.clientAddresses().stream().map(a -> EndpointAddress.parse(a, "node address")).toList();
        metrics = metricsAddresses(tempDir);
      } else {
        endpoints = target.addresses();
        metrics = target.endpoints == null ? metricsAddresses(target.clusterDir) : Map.of();
      }
      if (connect.equals("leader")) {
        endpoints = leaderFirst(endpoints, err);
      }
      environment.put("connect", connect);
      environment.put("connections", connections);
      environment.put("transport", transport);
      environment.put("endpoints", endpoints.stream().map(EndpointAddress::toString).toList());
      try (RaftlabKvSystem system = new RaftlabKvSystem(endpoints, ClientOptions.defaults(), connections, transport.equals("stream"))) {
        measure(system, new NodeCounters(metrics), base, counts, run, err);
      }
    } finally {
      if (cluster != null) {
        cluster.close(); // SIGKILL of exactly the processes it started, then waits for them
        err.println("stopped the local cluster");
      }
      if (tempDir != null) {
        deleteTree(tempDir, err);
      }
    }
  }

  /** etcd: members it starts in network namespaces with etcd's default timings, reached through jetcd. */
  private void measureEtcd(BenchOptions base, List<Integer> counts, BenchRun run, Map<String, Object> environment, PrintWriter err)
      throws Exception {
    Path tempDir = Files.createTempDirectory("raftlab-bench-etcd-");
    err.println("starting " + start + " etcd members (fsync on, etcd's default timings) in " + tempDir);
    err.flush();
    try (ClusterUnderTest cluster = new EtcdImplementation().start(new ClusterRequest(tempDir, start, Map.of(), Duration.ofSeconds(60)))) {
      String leader = cluster.leader(Duration.ofSeconds(30)).orElseThrow(() -> new IOException("etcd elected no leader within 30 s"));
      List<String> urls = new ArrayList<>();
      urls.add("http://" + cluster.clientAddress(leader).orElseThrow());
      if (connect.equals("listed")) {
        urls.clear();
      }
      for (String n : cluster.nodes()) {
        String url = "http://" + cluster.clientAddress(n).orElseThrow();
        if (!urls.contains(url)) {
          urls.add(url);
        }
      }
      err.println("leader: " + leader + "; endpoints " + urls);
      environment.put("startedNodes", start);
      environment.put("endpoints", urls);
      environment.put("connections", connections);
      try (EtcdKvSystem system = new EtcdKvSystem(urls, connections, Duration.ofSeconds(10))) {
        measure(system, new NodeCounters(Map.of()), base, counts, run, err);
      }
    } finally {
      err.println("stopped the etcd members");
      deleteTree(tempDir, err);
    }
  }

  private void measure(KvSystem system, NodeCounters counters, BenchOptions base, List<Integer> counts, BenchRun run,
      PrintWriter err) throws InterruptedException {
    LoadGenerator generator = new LoadGenerator(system, line -> {
      err.println(line);
      err.flush();
    }, driver.equals("async"));
    if (base.op().needsPreload()) {
      generator.preload(base, 32);
    }
    for (int n : counts) {
      BenchOptions o = base.withClients(n);
      Map<String, Map<String, Double>> before = counters.sample();
      long t0 = System.nanoTime();
      BenchResult r = generator.run(o);
      double seconds = (System.nanoTime() - t0) / 1e9;
      // Rates over warm-up plus window: steady load throughout, so the average is representative.
      run.add(r, NodeCounters.rates(before, counters.sample(), seconds));
      err.printf("%s %s %d clients: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, %d errors%n", system.name(), r.op().label(), n,
          r.operationsPerSecond(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.errorCount());
      err.flush();
    }
  }

  static List<Integer> parseClients(String text) {
    List<Integer> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      int n;
      try {
        n = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--clients: '" + p + "' is not a number; write e.g. 1,16,256");
      }
      if (n < 1 || n > BenchOptions.MAX_CLIENTS) {
        throw new IllegalArgumentException("--clients: " + n + " is outside the allowed range 1.." + BenchOptions.MAX_CLIENTS);
      }
      out.add(n);
    }
    return out;
  }

  /** The endpoints with the one whose node says it is leader first (unchanged if none says so). */
  private static List<EndpointAddress> leaderFirst(List<EndpointAddress> endpoints, PrintWriter err) {
    for (EndpointAddress e : endpoints) {
      try (AdminClient admin = AdminClient.connect(e, Duration.ofSeconds(2))) {
        if ("LEADER".equals(admin.getState().getRole())) {
          List<EndpointAddress> out = new ArrayList<>();
          out.add(e);
          endpoints.stream().filter(x -> !x.equals(e)).forEach(out::add);
          err.println("leader answers at " + e);
          return out;
        }
      } catch (RuntimeException ex) {
        // not reachable: try the next one
      }
    }
    err.println("no node says it is leader; using the endpoints in the order given");
    return endpoints;
  }

  /** node id to metrics address, from the cluster file; empty if there is none. */
  private static Map<String, String> metricsAddresses(Path clusterDir) {
    Map<String, String> out = new LinkedHashMap<>();
    Path file = clusterDir.resolve(LocalCluster.CLUSTER_FILE);
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      for (JsonNode n : root.path("nodes")) {
        String addr = n.path("metricsAddress").asText("");
        if (!addr.isEmpty() && !addr.equals("null")) {
          out.put(n.path("id").asText(), addr);
        }
      }
    } catch (IOException e) {
      // no counters then
    }
    return out;
  }

  private static void deleteTree(Path dir, PrintWriter err) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      err.println("could not remove " + dir + ": " + e.getMessage());
    }
  }
}
