package io.raftlab.chaos.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.netns.NamespaceNetwork;
import io.raftlab.server.launch.ProcessSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real etcd processes, each inside its own network namespace of a {@link NamespaceNetwork}, so
 * every peer link can be cut with packet filters. Member {@code nK} listens on its namespace
 * address, client port {@value #CLIENT_PORT} and peer port {@value #PEER_PORT}, keeps its data in
 * {@code dir/nK/data} and logs to {@code dir/nK/etcd.log}. Status comes from etcd's JSON gateway.
 */
public final class EtcdCluster implements ClusterUnderTest {

  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one member says of itself: its id, the leader it follows (0: none), a term and its log
   * index. etcd reports the term of what it has applied, not a candidate's raised term: watch
   * {@code leaderId} (0 while it has no leader) to see a member lose its leader.
   */
  public record MemberStatus(String node, long memberId, long leaderId, long raftTerm, long raftIndex) {
    public boolean isLeader() {
      return memberId != 0 && memberId == leaderId;
    }
  }

  private final List<String> nodes;
  private final Path dir;
  private final EtcdSettings settings;
  private final NamespaceNetwork net;
  private final Duration startTimeout;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final Set<String> paused = ConcurrentHashMap.newKeySet();
  private final Map<Long, String> nodeOfMember = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
  private final Thread cleanupHook = new Thread(this::endProcesses, "etcd-cleanup");
  private final String token;

  private EtcdCluster(List<String> nodes, Path dir, EtcdSettings settings, NamespaceNetwork net, Duration startTimeout) {
    this.nodes = List.copyOf(nodes);
    this.dir = dir;
    this.settings = settings;
    this.net = net;
    this.startTimeout = startTimeout;
    this.token = "raftlab-" + net.runTag();
  }

  /** Starts the members and returns once each serves and they agree on a leader. */
  public static EtcdCluster start(ClusterRequest request) throws IOException, InterruptedException {
    EtcdSettings settings = EtcdSettings.parse(request.settings());
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= request.nodes(); i++) {
      ids.add("n" + i);
    }
    NamespaceNetwork net = NamespaceNetwork.create(ids);
    EtcdCluster c = new EtcdCluster(ids, request.dir(), settings, net, request.startTimeout());
    Runtime.getRuntime().addShutdownHook(c.cleanupHook);
    try {
      for (String n : ids) {
        c.launch(n, "new");
      }
      long deadline = System.nanoTime() + request.startTimeout().toNanos();
      for (String n : ids) {
        c.awaitHealthy(n, deadline);
      }
      if (c.leader(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).isEmpty()) {
        throw new IOException("etcd: no agreed leader within " + request.startTimeout().toSeconds() + " s");
      }
      return c;
    } catch (IOException | RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  private void launch(String node, String clusterState) throws IOException {
    Path home = dir.resolve(node);
    Files.createDirectories(home.resolve("data"));
    String initialCluster = nodes.stream().map(n -> n + "=" + peerUrl(n)).collect(Collectors.joining(","));
    List<String> argv = new ArrayList<>(List.of(settings.binary().toString(),
        "--name", node,
        "--data-dir", home.resolve("data").toString(),
        "--listen-peer-urls", peerUrl(node),
        "--initial-advertise-peer-urls", peerUrl(node),
        "--listen-client-urls", clientUrl(node),
        "--advertise-client-urls", clientUrl(node),
        "--initial-cluster", initialCluster,
        "--initial-cluster-state", clusterState,
        "--initial-cluster-token", token,
        "--logger", "zap", "--log-outputs", "stderr"));
    argv.addAll(settings.flags());
    ProcessBuilder pb = new ProcessBuilder(net.commandIn(node, argv))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("etcd.log").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    // `ip netns exec` enters the namespace and execs etcd: this process is etcd itself, same pid.
    processes.put(node, pb.start());
  }

  /** The member's client URL, inside its namespace. */
  public String clientUrl(String node) {
    return "http://" + net.address(node) + ":" + CLIENT_PORT;
  }

  private String peerUrl(String node) {
    return "http://" + net.address(node) + ":" + PEER_PORT;
  }

  /** The pid of the member's etcd process, while it runs. */
  public Optional<Long> pid(String node) {
    checkNode(node);
    Process p = processes.get(node);
    return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
  }

  public Path logFile(String node) {
    return dir.resolve(node).resolve("etcd.log");
  }

  public EtcdSettings settings() {
    return settings;
  }

  @Override
  public List<String> nodes() {
    return nodes;
  }

  /** SIGKILL; the data directory stays. */
  @Override
  public void kill(String node) throws InterruptedException {
    checkNode(node);
    Process p = processes.remove(node);
    paused.remove(node);
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts the member again with its name, data and addresses; returns once its peer port listens. */
  @Override
  public void restart(String node) throws IOException, InterruptedException {
    checkNode(node);
    if (isRunning(node)) {
      throw new IllegalStateException("restart " + node + ": it is still running; kill it first");
    }
    launch(node, "existing");
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (!accepts(net.address(node), PEER_PORT)) {
      Process p = processes.get(node);
      if (p == null || !p.isAlive()) {
        throw new IOException("etcd " + node + " exited while restarting; see " + logFile(node) + ": " + logTail(node));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("etcd " + node + " did not listen on its peer port within " + startTimeout.toSeconds() + " s; see " + logFile(node));
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void pause(String node) throws IOException {
    signal(node, "STOP");
    paused.add(node);
  }

  @Override
  public void resume(String node) throws IOException {
    signal(node, "CONT");
    paused.remove(node);
  }

  private void signal(String node, String sig) throws IOException {
    checkNode(node);
    long pid = pid(node).orElseThrow(() -> new IllegalStateException(node + " is not running"));
    ProcessSignals.send(pid, sig);
  }

  @Override
  public boolean isRunning(String node) {
    checkNode(node);
    Process p = processes.get(node);
    return p != null && p.isAlive();
  }

  public boolean isPaused(String node) {
    return paused.contains(node);
  }

  @Override
  public NamespaceNetwork network() {
    return net;
  }

  @Override
  public Optional<String> clientAddress(String node) {
    checkNode(node);
    return isRunning(node) ? Optional.of(net.address(node) + ":" + CLIENT_PORT) : Optional.empty();
  }

  /** The node whose etcd member id is {@code memberId}, once a status call has shown it. */
  public Optional<String> nodeOfMember(long memberId) {
    return Optional.ofNullable(nodeOfMember.get(memberId));
  }

  /** One member's status through the gateway ({@code /v3/maintenance/status}); empty if it does not answer. */
  public Optional<MemberStatus> status(String node) {
    checkNode(node);
    if (!isRunning(node) || paused.contains(node)) {
      return Optional.empty();
    }
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(clientUrl(node) + "/v3/maintenance/status"))
          .timeout(STATUS_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode j = JSON.readTree(resp.body());
      long member = unsigned(j.path("header").path("member_id"));
      long leader = unsigned(j.path("leader"));
      long term = field(j, "raft_term", "raftTerm");
      long index = field(j, "raft_index", "raftIndex");
      if (member != 0) {
        nodeOfMember.put(member, node);
      }
      return Optional.of(new MemberStatus(node, member, leader, term, index));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static long field(JsonNode j, String snake, String camel) {
    return unsigned(j.has(snake) ? j.get(snake) : j.path(camel));
  }

  /** The gateway writes uint64 as decimal strings; member ids often exceed a signed long. */
  private static long unsigned(JsonNode n) {
    String t = n.asText("");
    return t.isEmpty() ? 0 : Long.parseUnsignedLong(t);
  }

  /**
   * The leader: a member that says it leads, followed by a majority of the cluster, with no
   * answering member naming another leader. Polls up to {@code timeout}.
   */
  @Override
  public Optional<String> leader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<String> l = agreedLeader();
      if (l.isPresent()) {
        return l;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  private Optional<String> agreedLeader() {
    Map<String, MemberStatus> answers = new LinkedHashMap<>();
    for (String n : nodes) {
      status(n).ifPresent(s -> answers.put(n, s));
    }
    Map<Long, Integer> votes = new HashMap<>();
    for (MemberStatus s : answers.values()) {
      if (s.leaderId() != 0) {
        votes.merge(s.leaderId(), 1, Integer::sum);
      }
    }
    if (votes.size() != 1) {
      return Optional.empty();
    }
    Map.Entry<Long, Integer> only = votes.entrySet().iterator().next();
    String leader = nodeOfMember.get(only.getKey());
    if (leader == null || only.getValue() <= nodes.size() / 2 || !answers.containsKey(leader) || !answers.get(leader).isLeader()) {
      return Optional.empty();
    }
    return Optional.of(leader);
  }

  /** Waits until the member answers etcd's /health with true (it has a leader and serves reads). */
  public void awaitHealthy(String node, Duration timeout) throws IOException, InterruptedException {
    awaitHealthy(node, System.nanoTime() + timeout.toNanos());
  }

  private void awaitHealthy(String node, long deadline) throws IOException, InterruptedException {
    while (true) {
      Process p = processes.get(node);
      if (p == null || !p.isAlive()) {
        throw new IOException("etcd " + node + " is not running; see " + logFile(node) + ": " + logTail(node));
      }
      try {
        HttpRequest req = HttpRequest.newBuilder(URI.create(clientUrl(node) + "/health")).timeout(STATUS_TIMEOUT).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 200 && resp.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException notYet) {
        // not serving yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("etcd " + node + " not healthy in time; see " + logFile(node));
      }
      Thread.sleep(100);
    }
  }

  private static boolean accepts(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The time of the last "became leader at term" line in the member's log (zap JSON, millisecond
   * timestamps), if the member is running and its log says it is leader.
   */
  @Override
  public Optional<Instant> leaderSince(String node) {
    checkNode(node);
    if (!isRunning(node)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(logFile(node));
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i);
        if (line.contains("became leader at term")) {
          return Optional.of(Instant.parse(JSON.readTree(line).path("ts").asText()));
        }
        if (line.contains("became follower at term") || line.contains("became candidate at term")
            || line.contains("became pre-candidate at term")) {
          return Optional.empty();
        }
      }
    } catch (IOException | UncheckedIOException | DateTimeParseException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private String logTail(String node) {
    try {
      List<String> lines = Files.readAllLines(logFile(node));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log)";
    }
  }

  private void checkNode(String node) {
    if (!nodes.contains(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'; this cluster has " + nodes);
    }
  }

  private void endProcesses() {
    for (Process p : List.copyOf(processes.values())) {
      p.destroyForcibly();
    }
    for (Process p : List.copyOf(processes.values())) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  /** SIGKILLs every member, then removes the network (which ends anything left in its namespaces). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try {
      endProcesses();
    } finally {
      net.close();
    }
  }
}
