package io.raftlab.chaos.adapter.spec;

import io.raftlab.api.admin.NodeState;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.net.ProxyMesh;
import io.raftlab.client.AdminClient;
import io.raftlab.client.EndpointAddress;
import io.raftlab.server.launch.ProcessSignals;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Nodes of an implementation described by an {@link ImplementationSpec}: one OS process each, with
 * its own data directory, log file and two ports chosen at start and kept across restarts; every
 * peer link goes through a {@link ProxyMesh} (node a reaches b at the proxy of link a->b).
 */
final class SpecCluster implements ClusterUnderTest {

  private static final String HOST = "127.0.0.1";

  private final ImplementationSpec spec;
  private final Path dir;
  private final List<String> ids;
  private final Map<String, String> settings;
  private final Map<String, int[]> ports = new LinkedHashMap<>(); // id -> {client, peer}
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final ProxyMesh mesh;
  private final Thread shutdownHook = new Thread(this::destroyAll, "spec-cluster-shutdown");

  private SpecCluster(ImplementationSpec spec, Path dir, int size, Map<String, String> settings) throws IOException {
    this.spec = spec;
    this.dir = dir;
    this.settings = Map.copyOf(settings);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String id = "n" + i;
      names.add(id);
      ports.put(id, new int[] {freePort(), freePort()});
    }
    this.ids = List.copyOf(names);
    this.mesh = new ProxyMesh(ids, id -> HOST + ":" + ports.get(id)[1]);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static SpecCluster start(ImplementationSpec spec, Path dir, int size, Map<String, String> settings) throws IOException {
    if (size < 2) {
      throw new IllegalArgumentException("nodes: a cluster behind a proxy mesh needs at least 2 nodes, got " + size);
    }
    SpecCluster c = new SpecCluster(spec, dir, size, settings);
    try {
      for (String id : c.ids) {
        c.launch(id);
      }
      for (String id : c.ids) {
        c.awaitReady(id);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(HOST, 0));
      return s.getLocalPort();
    }
  }

  Path dataDir(String id) {
    return dir.resolve(id);
  }

  Path logFile(String id) {
    return dataDir(id).resolve("node.log");
  }

  /** The command line of node {@code id}, placeholders filled in. */
  List<String> command(String id) {
    List<String> cmd = new ArrayList<>();
    for (String arg : spec.command()) {
      if (arg.equals("{each-member}")) {
        for (String m : ids) {
          for (String a : spec.eachMember()) {
            cmd.add(fill(a, id).replace("{memberId}", m)
                .replace("{memberPeerAddress}", m.equals(id) ? peerAddress(id) : mesh.proxyAddress(id, m))
                .replace("{memberClientAddress}", HOST + ":" + ports.get(m)[0]));
          }
        }
      } else {
        cmd.add(fill(arg, id));
      }
    }
    for (Map.Entry<String, String> s : settings.entrySet()) {
      for (String a : spec.setting()) {
        cmd.add(a.replace("{name}", s.getKey()).replace("{value}", s.getValue()));
      }
    }
    return cmd;
  }

  private String fill(String arg, String id) {
    List<String> peers = new ArrayList<>();
    for (String m : ids) {
      if (!m.equals(id)) {
        peers.add(m + "=" + mesh.proxyAddress(id, m));
      }
    }
    return arg.replace("{id}", id)
        .replace("{dataDir}", dataDir(id).toString())
        .replace("{host}", HOST)
        .replace("{clientPort}", Integer.toString(ports.get(id)[0]))
        .replace("{peerPort}", Integer.toString(ports.get(id)[1]))
        .replace("{clientAddress}", HOST + ":" + ports.get(id)[0])
        .replace("{peerAddress}", peerAddress(id))
        .replace("{peers}", String.join(",", peers));
  }

  private String peerAddress(String id) {
    return HOST + ":" + ports.get(id)[1];
  }

  private void launch(String id) throws IOException {
    Files.createDirectories(dataDir(id));
    ProcessBuilder pb = new ProcessBuilder(command(id))
        .directory(dataDir(id).toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      processes.put(id, pb.start());
    } catch (IOException e) {
      throw new IOException(spec.source() + ": command: cannot start node " + id + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady(String id) throws IOException {
    Process p = processes.get(id);
    ImplementationSpec.ReadyCheck ready = spec.ready();
    long deadline = System.nanoTime() + ready.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(spec.name() + " node " + id + " exited with status " + p.exitValue() + " during start-up; see " + logFile(id));
      }
      if (isReady(id, ready)) {
        return;
      }
      sleep(50);
    }
    throw new IOException(spec.name() + " node " + id + " was not ready within " + ready.timeout() + "; see " + logFile(id));
  }

  private boolean isReady(String id, ImplementationSpec.ReadyCheck ready) throws IOException {
    if (ready.log() != null) {
      if (!Files.exists(logFile(id)) || !ready.log().matcher(Files.readString(logFile(id), StandardCharsets.UTF_8)).find()) {
        return false;
      }
    }
    if (ready.tcp() != null) {
      int port = ports.get(id)[ready.tcp().equals("client") ? 0 : 1];
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 200);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<String> nodes() {
    return ids;
  }

  @Override
  public void kill(String node) {
    check(node);
    Process p = processes.get(node);
    if (p != null && p.isAlive()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void restart(String node) throws IOException {
    kill(node);
    launch(node);
    awaitReady(node);
  }

  @Override
  public void pause(String node) throws IOException {
    signal(node, "STOP");
  }

  @Override
  public void resume(String node) throws IOException {
    signal(node, "CONT");
  }

  private void signal(String node, String sig) throws IOException {
    check(node);
    Process p = processes.get(node);
    if (p == null || !p.isAlive()) {
      throw new IOException("node " + node + " is not running");
    }
    ProcessSignals.send(p.pid(), sig);
  }

  @Override
  public boolean isRunning(String node) {
    check(node);
    Process p = processes.get(node);
    return p != null && p.isAlive();
  }

  @Override
  public ProxyMesh network() {
    return mesh;
  }

  @Override
  public Optional<String> clientAddress(String node) {
    check(node);
    return isRunning(node) ? Optional.of(HOST + ":" + ports.get(node)[0]) : Optional.empty();
  }

  @Override
  public boolean hasRaftlabInspection() {
    return spec.inspection().equals("raftlab");
  }

  /** With raftlab inspection: the one node that says it leads, none disagreeing; otherwise empty. */
  @Override
  public Optional<String> leader(Duration timeout) {
    if (!spec.inspection().equals("raftlab")) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      List<String> leaders = new ArrayList<>();
      for (String id : ids) {
        Optional<String> addr = clientAddress(id);
        if (addr.isEmpty()) {
          continue;
        }
        try (AdminClient admin = AdminClient.connect(EndpointAddress.parse(addr.get(), "client address"), Duration.ofMillis(500))) {
          NodeState s = admin.getState();
          if ("LEADER".equals(s.getRole())) {
            leaders.add(id);
          }
        } catch (RuntimeException e) {
          // not answering: skipped
        }
      }
      if (leaders.size() == 1) {
        return Optional.of(leaders.get(0));
      }
      sleep(50);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  private void check(String node) {
    if (!ports.containsKey(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'; this cluster has " + ids);
    }
  }

  private void destroyAll() {
    for (String id : ids) {
      Process p = processes.get(id);
      if (p != null && p.isAlive()) {
        // A paused process cannot act on SIGTERM, but SIGKILL ends it.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  /** Ends every node process (by its pid), then the proxies. */
  @Override
  public void close() {
    destroyAll();
    for (Process p : processes.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    mesh.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running
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
