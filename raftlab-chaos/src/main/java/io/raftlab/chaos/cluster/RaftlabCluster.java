package io.raftlab.chaos.cluster;

import io.raftlab.chaos.net.ProxyMesh;
import io.raftlab.server.launch.LocalCluster;
import io.raftlab.server.transport.PortsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real raftlab processes ({@link LocalCluster}) whose peer traffic all goes through a
 * {@link ProxyMesh}: node {@code a} dials {@code b} at the proxy of link a->b, which dials b's
 * peer port from b's {@code ports.json} at each connection, so restarts on new ports are followed.
 * Clients talk to the nodes directly. A cluster started {@link #startDirect directly} has no mesh:
 * its nodes dial each other, and {@link #network()} refuses.
 */
public final class RaftlabCluster implements ClusterUnderTest {

  private final LocalCluster local;
  private final ProxyMesh mesh;
  private final Duration startTimeout;

  private RaftlabCluster(LocalCluster local, ProxyMesh mesh, Duration startTimeout) {
    this.local = local;
    this.mesh = mesh;
    this.startTimeout = startTimeout;
  }

  /** Starts {@code size} nodes in {@code baseDir} (parameters as for LocalCluster) wired through a new mesh. */
  public static RaftlabCluster start(Path baseDir, int size, Map<String, String> params, Duration startTimeout) throws IOException {
    if (size < 2) {
      throw new IllegalArgumentException("size: a cluster behind a proxy mesh needs at least 2 nodes, got " + size);
    }
    List<String> ids = LocalCluster.idsFor(size);
    ProxyMesh mesh = new ProxyMesh(ids,
        id -> PortsFile.read(LocalCluster.dataDir(baseDir, id).resolve(PortsFile.FILE_NAME), "peer"),
        id -> PortsFile.read(LocalCluster.dataDir(baseDir, id).resolve(PortsFile.FILE_NAME), "client"));
    try {
      // Peer messages and requests a follower forwards to the leader both cross the mesh.
      LocalCluster local = LocalCluster.start(baseDir, size, params, startTimeout, mesh::proxyAddress, mesh::clientProxyAddress);
      return new RaftlabCluster(local, mesh, startTimeout);
    } catch (IOException | RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  /**
   * Starts {@code size} nodes that dial each other directly, with no proxy hop, for measurements
   * that inject no network faults (failover times): a user-space proxy adds latency and CPU to
   * every heartbeat.
   */
  public static RaftlabCluster startDirect(Path baseDir, int size, Map<String, String> params, Duration startTimeout) throws IOException {
    return new RaftlabCluster(LocalCluster.start(baseDir, size, params, startTimeout), null, startTimeout);
  }

  public LocalCluster local() {
    return local;
  }

  public ProxyMesh mesh() {
    if (mesh == null) {
      throw new IllegalStateException("this cluster was started without a fault network (nodes linked directly); "
          + "start it with RaftlabCluster.start to inject network faults");
    }
    return mesh;
  }

  @Override
  public List<String> nodes() {
    return local.ids();
  }

  @Override
  public void kill(String node) {
    checkNode(node);
    local.kill(node);
  }

  @Override
  public void restart(String node) throws IOException {
    checkNode(node);
    local.restart(node, startTimeout);
  }

  @Override
  public void pause(String node) throws IOException {
    checkNode(node);
    local.pause(node);
  }

  @Override
  public void resume(String node) throws IOException {
    checkNode(node);
    local.resume(node);
  }

  @Override
  public boolean isRunning(String node) {
    checkNode(node);
    return local.isAlive(node);
  }

  @Override
  public ProxyMesh network() {
    return mesh();
  }

  @Override
  public Optional<String> clientAddress(String node) {
    checkNode(node);
    return local.isAlive(node) ? Optional.ofNullable(local.clientAddress(node)) : Optional.empty();
  }

  /**
   * The node that says it is leader with a majority following it in its term and no other node
   * claiming leadership, polled until {@code timeout} (at least one round).
   */
  @Override
  public Optional<String> leader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> l = local.currentLeader(Duration.ofMillis(500));
      if (l.isPresent() || System.nanoTime() >= deadline) {
        return l;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  @Override
  public Optional<Instant> leaderSince(String node) {
    checkNode(node);
    return local.state(node, Duration.ofSeconds(2))
        .filter(s -> "LEADER".equals(s.getRole()) && s.getRoleSinceUnixMicros() > 0)
        .map(s -> Instant.EPOCH.plusNanos(s.getRoleSinceUnixMicros() * 1_000));
  }

  @Override
  public boolean hasRaftlabInspection() {
    return true;
  }

  private void checkNode(String node) {
    if (!local.ids().contains(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'; this cluster has " + local.ids());
    }
  }

  /** Ends the node processes, then the proxies. */
  @Override
  public void close() {
    try {
      local.close();
    } finally {
      if (mesh != null) {
        mesh.close();
      }
    }
  }
}
