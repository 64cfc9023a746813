package io.raftlab.server.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.admin.GetStateRequest;
import io.raftlab.api.admin.NodeState;
import io.raftlab.server.ServerMain;
import io.raftlab.server.config.ServerConfig;
import io.raftlab.server.transport.PortsFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Real raftlab node processes on loopback, for {@code raftlab cluster up}, integration tests and
 * the chaos toolkit. Node {@code nK} keeps its data in {@code BASE/nK} and its output in
 * {@code BASE/nK/node.log}; members find each other through each other's {@code ports.json}, so
 * every port is chosen by the OS. {@link #kill} is SIGKILL and keeps the data; {@link #restart}
 * brings the same node back. Every process started is ended on {@link #close} and, unless
 * {@link #detach detached}, when this JVM exits.
 */
public final class LocalCluster implements AutoCloseable {

  public static final String CLUSTER_FILE = "cluster.json";
  /** How long one leader must hold its term before {@link #awaitLeader} reports it. */
  private static final long STABLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path baseDir;
  private final List<String> ids;
  private final Map<String, String> params;
  private final BiFunction<String, String, String> peerAddress;
  private final BiFunction<String, String, String> clientAddress;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, ManagedChannel> inspectionChannels = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread cleanup = new Thread(this::destroyAll, "local-cluster-cleanup");
  private boolean detached;

  private LocalCluster(Path baseDir, int size, Map<String, String> params, BiFunction<String, String, String> peerAddress,
      BiFunction<String, String, String> clientAddress) {
    this.baseDir = baseDir.toAbsolutePath();
    this.ids = idsFor(size);
    this.params = Map.copyOf(params);
    this.peerAddress = peerAddress;
    this.clientAddress = clientAddress;
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Starts {@code size} nodes with the given parameters (names of ServerConfig) and waits until each listens. */
  public static LocalCluster start(Path baseDir, int size, Map<String, String> params, Duration timeout) throws IOException {
    return start(baseDir, size, params, timeout, (node, member) -> null);
  }

  /**
   * As {@link #start(Path, int, Map, Duration)}, but node {@code nodeId} dials member
   * {@code memberId} at {@code peerAddress.apply(nodeId, memberId)} (host:port, or
   * {@code @path/ports.json}); null means the default, the member's own ports file. A different
   * address per (node, member) lets a proxy per directed link sit between the nodes. It is not
   * asked for a node's own entry (a node never dials itself), and asked again on every {@link #restart}.
   */
  public static LocalCluster start(Path baseDir, int size, Map<String, String> params, Duration timeout,
      BiFunction<String, String, String> peerAddress) throws IOException {
    return start(baseDir, size, params, timeout, peerAddress, (node, member) -> null);
  }

  /**
   * As above, and node {@code nodeId} also reaches member {@code memberId}'s client service (to
   * forward a request to the leader) at {@code clientAddress.apply(nodeId, memberId)}, so that
   * forwarded requests can cross the same faulty links as peer traffic; null means the default.
   */
  public static LocalCluster start(Path baseDir, int size, Map<String, String> params, Duration timeout,
      BiFunction<String, String, String> peerAddress, BiFunction<String, String, String> clientAddress) throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException("cluster size must be >= 1, got " + size);
    }
    if (peerAddress == null || clientAddress == null) {
      throw new IllegalArgumentException("peerAddress, clientAddress: functions are required (return null for the default address)");
    }
    LocalCluster c = new LocalCluster(baseDir, size, params, peerAddress, clientAddress);
    try {
      for (String id : c.ids) {
        c.launch(id);
      }
      for (String id : c.ids) {
        c.awaitListening(id, timeout);
      }
      c.writeClusterFile();
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  public List<String> ids() {
    return List.copyOf(ids);
  }

  public Path baseDir() {
    return baseDir;
  }

  public Path dataDir(String id) {
    return dataDir(baseDir, id);
  }

  /** Where node {@code id} of a cluster in {@code baseDir} keeps its data (known before it starts). */
  public static Path dataDir(Path baseDir, String id) {
    return baseDir.toAbsolutePath().resolve(id);
  }

  /** The ids a cluster of {@code size} nodes gets: n1..nSIZE. */
  public static List<String> idsFor(int size) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      out.add("n" + i);
    }
    return out;
  }

  public Path logFile(String id) {
    return dataDir(id).resolve("node.log");
  }

  /**
   * JVM options every node gets, unless RAFTLAB_NODE_JAVA_OPTS says otherwise, besides its collector
   * ({@link #nodeJavaOpts}). The client JIT only (TieredStopAtLevel=1): with several nodes sharing a
   * few cores, the optimizing compiler spends seconds of CPU per node for minutes after start, and
   * measured on 2 cores that costs more than its faster code gains (docs/PERFORMANCE.md, "JIT").
   * MetaspaceSize above what a node's classes take: otherwise the JVM runs a full collection when
   * class loading first crosses the default threshold, a pause of 160-430 ms measured a few seconds
   * after every start.
   */
  public static final String COMMON_NODE_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:MetaspaceSize=128m -XX:+ExitOnOutOfMemoryError";

  /**
   * Lets the JVM apply Java thread priorities as nice values, which only root may lower below 0:
   * the Raft loop and network threads (Java priority 10) run at nice -5, ahead of the JIT
   * compilers, the collectors' concurrent threads (Java priority 9, moved back to nice 0) and every
   * other process, such as a node that is starting. Added for short election timeouts (as the
   * concurrent collector is) when the launcher runs as root; for anyone else the JVM would only
   * warn that it cannot. Not for long timeouts: there a few milliseconds of waiting for a CPU cost
   * no election, and nodes ahead of a benchmark client on the same machine worsened its p99 at 256
   * clients (docs/PERFORMANCE.md, "thread priorities").
   */
  public static final String PRIORITY_JAVA_OPTS = "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority9_To_OSPriority=0";

  /**
   * The JVM options for nodes started with server parameters {@code params}. The collector follows
   * the election timeout ({@link ServerMain#CONCURRENT_GC_BELOW_MILLIS}). The serial collector gives
   * the most throughput (about a quarter more puts/s at 256 clients than ZGC on 2 cores), but with
   * five nodes sharing two cores its young pauses took 38-73 ms on an idle node and up to 151 ms
   * under load, so with a 12 ms election timeout nearly every pause was an election: 834 candidacies
   * in a minute of light load, against 68 with ZGC, all of those while the JIT warmed up
   * (docs/PERFORMANCE.md, "stop-the-world collector pauses"). Long timeouts keep the serial collector.
   *
   * <p>The short-timeout heap is small (256 MB). On one machine the kernel frees a killed node's memory
   * on a CPU the survivors need for their election, and a ZGC JVM's teardown grows with its maximum
   * heap: a killed node took a median 127 ms to exit at -Xmx1g and 82 ms at -Xmx256m. 12-24 ms
   * failover averaged 52 ms over 150 trials with 1 GB, and 35-38 ms with 128 or 256 MB
   * (docs/PERFORMANCE.md, "Twelfth session"). The whole log stays in memory, so a long run at short
   * timeouts may need more: RAFTLAB_NODE_JAVA_OPTS.
   */
  public static String nodeJavaOpts(Map<String, String> params) {
    String env = System.getenv("RAFTLAB_NODE_JAVA_OPTS");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String name = "election-timeout-min-millis";
    String set = params.getOrDefault(name, ServerConfig.PARAMETERS.stream()
        .filter(p -> p.name().equals(name)).findFirst().orElseThrow().defaultValue());
    long min;
    try {
      min = Long.parseLong(set.trim());
    } catch (NumberFormatException e) {
      min = Long.MAX_VALUE; // the node itself refuses the value, naming the parameter
    }
    boolean shortTimeouts = min < ServerMain.CONCURRENT_GC_BELOW_MILLIS;
    String collector = shortTimeouts ? "-Xmx256m -XX:+UseZGC" : "-Xmx512m -XX:+UseSerialGC";
    return collector + " " + COMMON_NODE_JAVA_OPTS + (shortTimeouts && HostUser.isRoot() ? " " + PRIORITY_JAVA_OPTS : "");
  }

  private List<String> command(String id) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String o : nodeJavaOpts(params).trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
      }
    }
    cmd.add("-DRAFTLAB_LOG_LEVEL=" + System.getProperty("raftlab.node.log", "INFO"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ServerMain.class.getName());
    cmd.add("--id");
    cmd.add(id);
    cmd.add("--data-dir");
    cmd.add(dataDir(id).toString());
    for (String m : ids) {
      Path ports = dataDir(m).resolve(PortsFile.FILE_NAME);
      String peer = m.equals(id) ? null : peerAddress.apply(id, m);
      String client = m.equals(id) ? null : clientAddress.apply(id, m);
      cmd.add("--member");
      // Clients and redirects use the member's own client address; forwarding may take a detour.
      cmd.add(m + "=" + (peer == null ? "@" + ports : peer) + ",@" + ports + (client == null ? "" : "," + client));
    }
    for (Map.Entry<String, String> p : params.entrySet()) {
      cmd.add("--" + p.getKey());
      cmd.add(p.getValue());
    }
    return cmd;
  }

  private void launch(String id) throws IOException {
    Files.createDirectories(dataDir(id));
    ProcessBuilder pb = new ProcessBuilder(command(id))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    processes.put(id, pb.start());
  }

  /** Waits until the node wrote its ports file (which it does once it listens). */
  private void awaitListening(String id, Duration timeout) throws IOException {
    Process p = processes.get(id);
    Path ports = dataDir(id).resolve(PortsFile.FILE_NAME);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("node " + id + " exited with status " + p.exitValue() + " during startup; see " + logFile(id)
            + ":\n" + tail(logFile(id), 20));
      }
      String pid = PortsFile.read(ports, "pid");
      if (pid != null && Long.parseLong(pid) == p.pid()) {
        return;
      }
      sleep(20);
    }
    throw new IOException("node " + id + " did not start listening within " + timeout + "; see " + logFile(id));
  }

  /** SIGKILL: the node dies at once, its data stays. */
  public void kill(String id) {
    Process p = processes.get(id);
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts a killed (or stopped) node again with the same id, data and parameters. */
  public void restart(String id, Duration timeout) throws IOException {
    kill(id);
    launch(id);
    awaitListening(id, timeout);
    writeClusterFile();
  }

  /** SIGSTOP / SIGCONT. */
  public void pause(String id) throws IOException {
    signal(id, "STOP");
  }

  public void resume(String id) throws IOException {
    signal(id, "CONT");
  }

  private void signal(String id, String sig) throws IOException {
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) {
      throw new IOException("node " + id + " is not running");
    }
    ProcessSignals.send(p.pid(), sig);
  }

  public boolean isAlive(String id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  public long pid(String id) {
    return processes.get(id).pid();
  }

  /** The node's client (KV and admin) address as it reported it. */
  public String clientAddress(String id) {
    return PortsFile.read(dataDir(id).resolve(PortsFile.FILE_NAME), "client");
  }

  public List<String> clientAddresses() {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      out.add(clientAddress(id));
    }
    return out;
  }

  /** The node's own view of its state, or empty if it does not answer within {@code timeout}. */
  public Optional<NodeState> state(String id, Duration timeout) {
    String addr = clientAddress(id);
    if (addr == null || !isAlive(id)) {
      return Optional.empty();
    }
    // One channel per address, kept: inspection polls often, and a new channel costs a connection
    // set-up each time (a restarted node on a new port gets a new channel).
    ManagedChannel ch = inspectionChannels.computeIfAbsent(addr, a -> {
      int colon = a.lastIndexOf(':');
      return NettyChannelBuilder.forAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))).usePlaintext().build();
    });
    try {
      return Optional.of(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).getState(GetStateRequest.getDefaultInstance()));
    } catch (RuntimeException e) {
      // Not answering (stopped, paused, restarting): the next poll dials again at once instead of
      // waiting out gRPC's reconnect backoff.
      ch.resetConnectBackoff();
      return Optional.empty();
    }
  }

  /**
   * One polling round: the node that says it is leader, with a majority of the cluster following
   * it in its term and no other node claiming leadership; empty if there is none right now.
   */
  public Optional<String> currentLeader(Duration rpcTimeout) {
    String leader = null;
    long term = -1;
    List<NodeState> states = new ArrayList<>();
    for (String id : ids) {
      Optional<NodeState> s = state(id, rpcTimeout);
      if (s.isEmpty()) {
        continue;
      }
      states.add(s.get());
      if ("LEADER".equals(s.get().getRole())) {
        if (leader != null) {
          return Optional.empty();
        }
        leader = id;
        term = s.get().getTerm();
      }
    }
    if (leader == null || followers(states, leader, term) < ids.size() / 2 + 1) {
      return Optional.empty();
    }
    return Optional.of(leader);
  }

  /**
   * Waits until exactly one live node says it is leader, a majority of the cluster follows it in its
   * term, and it still leads that term a moment later; returns its id.
   */
  public String awaitLeader(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = null;
    long seenAt = 0;
    while (System.nanoTime() < deadline) {
      // Still the same leader a moment later: elections right after start-up or a fault settle.
      Optional<String> leader = currentLeader(Duration.ofMillis(500));
      if (leader.isPresent() && leader.get().equals(seen)) {
        if (System.nanoTime() - seenAt >= STABLE_NANOS) {
          return seen;
        }
      } else {
        seen = leader.orElse(null);
        seenAt = System.nanoTime();
      }
      sleep(50);
    }
    throw new IOException("no leader elected within " + timeout);
  }

  private static long followers(List<NodeState> states, String leader, long term) {
    return states.stream().filter(s -> s.getTerm() == term && leader.equals(s.getLeader())).count();
  }

  /** Writes {@code cluster.json}: each node's id, addresses, pid, data directory and log. */
  public void writeClusterFile() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode nodes = root.putArray("nodes");
    for (String id : ids) {
      Path ports = dataDir(id).resolve(PortsFile.FILE_NAME);
      ObjectNode n = nodes.addObject();
      n.put("id", id);
      n.put("clientAddress", PortsFile.read(ports, "client"));
      n.put("adminAddress", PortsFile.read(ports, "client"));
      n.put("peerAddress", PortsFile.read(ports, "peer"));
      n.put("metricsAddress", PortsFile.read(ports, "metrics"));
      Process p = processes.get(id);
      n.put("pid", p == null ? -1 : p.pid());
      // With the pid, the start instant identifies the process even if the pid is reused later.
      n.put("started", p == null ? "" : p.info().startInstant().map(Object::toString).orElse(""));
      n.put("dataDir", dataDir(id).toString());
      n.put("log", logFile(id).toString());
    }
    Files.writeString(baseDir.resolve(CLUSTER_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  /** Leaves the processes running after this JVM exits (for {@code raftlab cluster up}). */
  public void detach() {
    detached = true;
    Runtime.getRuntime().removeShutdownHook(cleanup);
  }

  /**
   * Stops the processes a detached cluster left in {@code baseDir} (read from cluster.json):
   * SIGTERM, then SIGKILL after {@code grace}. Only the very processes it started are touched
   * (same pid and start instant). Returns the ids stopped.
   */
  public static List<String> stopDetached(Path baseDir, Duration grace) throws IOException {
    Path file = baseDir.resolve(CLUSTER_FILE);
    if (!Files.exists(file)) {
      throw new IOException("no cluster in " + baseDir.toAbsolutePath() + " (" + CLUSTER_FILE + " is missing)");
    }
    JsonNode root = JSON.readTree(file.toFile());
    List<String> stopped = new ArrayList<>();
    List<ProcessHandle> handles = new ArrayList<>();
    for (JsonNode n : root.path("nodes")) {
      long pid = n.path("pid").asLong(-1);
      String started = n.path("started").asText("");
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent() && h.get().isAlive() && !started.isEmpty()
          && started.equals(h.get().info().startInstant().map(Object::toString).orElse(null))) {
        h.get().destroy();
        handles.add(h.get());
        stopped.add(n.path("id").asText());
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : handles) {
      while (h.isAlive() && System.nanoTime() < deadline) {
        sleep(20);
      }
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : handles) {
      try {
        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // SIGKILL is asynchronous: wait for the exit
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("process " + h.pid() + " did not exit after SIGKILL", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stopped;
  }

  private void destroyAll() {
    if (detached) {
      return;
    }
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    inspectionChannels.values().forEach(ManagedChannel::shutdownNow);
    inspectionChannels.clear();
    destroyAll();
    if (!detached) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
