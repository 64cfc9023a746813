package io.raftlab.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.api.admin.NodeState;
import io.raftlab.chaos.cluster.RaftlabCluster;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.KvException;
import io.raftlab.client.RaftlabClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real raftlab processes whose peer traffic all goes through a {@link ProxyMesh}. Nodes run
 * with pre-vote and check-quorum on (the defaults) and the election timeouts set below.
 * Followers answer NOT_LEADER instead of forwarding, since forwarding uses client addresses,
 * which do not go through the mesh.
 */
class ProxyMeshRaftlabProcessTest {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Map<String, String> PARAMS = Map.of("request-timeout-millis", "1500", "follower-mode", "redirect");
  /** Timeouts long enough that a loaded CI machine causes no election of its own: the block must cause none. */
  private static final Map<String, String> STEADY_PARAMS = Map.of("request-timeout-millis", "1500", "follower-mode", "redirect",
      "election-timeout-min-millis", "600", "election-timeout-max-millis", "1200", "heartbeat-millis", "100");
  private RaftlabCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private NodeState state(String id) {
    return cluster.local().state(id, Duration.ofSeconds(2)).orElseThrow(() -> new AssertionError("node " + id + " did not answer GetState"));
  }

  private RaftlabClient client(List<String> nodes) {
    List<EndpointAddress> endpoints = new ArrayList<>();
    for (String n : nodes) {
      endpoints.add(EndpointAddress.parse(cluster.clientAddress(n).orElseThrow(), "endpoint"));
    }
    return RaftlabClient.connect(endpoints, ClientOptions.builder().callTimeout(Duration.ofSeconds(2)).totalDeadline(Duration.ofSeconds(15)).build());
  }

  private String awaitLeaderAmong(List<String> nodes, long aboveTerm, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String n : nodes) {
        Optional<NodeState> s = cluster.local().state(n, Duration.ofMillis(500));
        if (s.isPresent() && "LEADER".equals(s.get().getRole()) && s.get().getTerm() > aboveTerm) {
          return n;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no leader with a term above " + aboveTerm + " among " + nodes + " within " + timeout);
  }

  private void awaitCondition(String what, java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not reached within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  private LinkProxy.Counters counters(String from, String to) {
    return cluster.mesh().proxy(from, to).counters();
  }

  /** Closes the cluster and checks that no node process (by pid), proxy thread or proxy port is left. */
  private void closeAndAssertEverythingGone() {
    List<Long> pids = cluster.nodes().stream().map(cluster.local()::pid).toList();
    List<Integer> ports = cluster.mesh().activeLinks().stream().map(l -> Integer.parseInt(l.proxyAddress().substring(l.proxyAddress().lastIndexOf(':') + 1))).toList();
    cluster.close();
    cluster = null;
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d", pid).isFalse();
    }
    assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("link-proxy "))).isEmpty();
    for (int port : ports) {
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        }
      }).as("proxy port %d", port).isInstanceOf(IOException.class);
    }
  }

  @Test
  void anIsolatedLeaderCannotCommitWhileTheMajorityElectsANewOneAndHealingLeavesOneLeader(@TempDir Path dir) throws Exception {
    cluster = RaftlabCluster.start(dir, 3, PARAMS, START);
    String oldLeader = cluster.leader(START).orElseThrow();
    List<String> majority = cluster.nodes().stream().filter(n -> !n.equals(oldLeader)).toList();
    try (RaftlabClient c = client(cluster.nodes())) {
      c.put("k", "before");
    }
    long oldTerm = state(oldLeader).getTerm();
    // The peers really talk through the mesh: every link has carried bytes.
    assertThat(cluster.mesh().activeLinks()).allSatisfy(l -> assertThat(l.counters().bytesForward()).as(l.link().toString()).isPositive());

    cluster.network().isolate(oldLeader);
    assertThat(cluster.network().blockedLinks()).hasSize(4);

    String newLeader = awaitLeaderAmong(majority, oldTerm, Duration.ofSeconds(20));
    // Check-quorum: the old leader hears from no quorum, so it steps down within an election timeout or so.
    awaitCondition("old leader " + oldLeader + " stepping down", () -> !"LEADER".equals(state(oldLeader).getRole()), Duration.ofSeconds(10));
    long oldCommit = state(oldLeader).getCommitIndex();

    try (RaftlabClient toOld = RaftlabClient.forNode(EndpointAddress.parse(cluster.clientAddress(oldLeader).orElseThrow(), "endpoint"),
        ClientOptions.builder().callTimeout(Duration.ofSeconds(2)).build())) {
      assertThatThrownBy(() -> toOld.put("k", "from-the-minority")).isInstanceOf(KvException.class);
    }
    try (RaftlabClient toMajority = client(majority)) {
      toMajority.put("k", "after");
    }
    long newCommit = state(newLeader).getCommitIndex();
    assertThat(newCommit).isGreaterThan(oldCommit);
    assertThat(state(oldLeader).getCommitIndex()).as("the isolated node commits nothing").isEqualTo(oldCommit);

    cluster.network().healAll();
    assertThat(cluster.network().blockedLinks()).isEmpty();
    awaitCondition("one leader that every node follows, with the old one caught up", () -> {
      List<NodeState> all = cluster.nodes().stream().map(this::state).toList();
      long leaders = all.stream().filter(s -> "LEADER".equals(s.getRole())).count();
      String leaderId = all.stream().filter(s -> "LEADER".equals(s.getRole())).map(NodeState::getId).findFirst().orElse("");
      return leaders == 1
          && all.stream().allMatch(s -> s.getLeader().equals(leaderId) && s.getTerm() == all.get(0).getTerm())
          && state(oldLeader).getCommitIndex() >= newCommit;
    }, Duration.ofSeconds(20));
    assertThat(cluster.mesh().faultLog()).extracting(FaultLog.FaultChange::action).contains("block", "heal-all");
    closeAndAssertEverythingGone();
  }

  /**
   * Follower F can no longer reach leader L; everything else works. F still gets L's heartbeats,
   * so it never times out or campaigns; L misses F's acknowledgements but still commits with the
   * other follower, and check-quorum keeps it leader since that follower is a quorum with it. So
   * Raft should change nothing visible: same leader, same term everywhere, writes commit. After
   * the heal, F's acknowledgements reach L again and F catches up.
   */
  @Test
  void aFollowerWhoseResponsesToTheLeaderAreLostDoesNotDisturbTheLeader(@TempDir Path dir) throws Exception {
    cluster = RaftlabCluster.start(dir, 3, STEADY_PARAMS, START);
    String leader = cluster.leader(START).orElseThrow();
    String follower = cluster.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    try (RaftlabClient c = client(cluster.nodes())) {
      c.put("k", "0");
      long term = state(leader).getTerm();

      cluster.network().block(follower, leader);
      assertThat(cluster.network().blockedLinks()).containsExactly(new NetworkFaults.Link(follower, leader));
      long heldBytes = counters(follower, leader).bytesForward();
      long heartbeatBytes = counters(leader, follower).bytesForward();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // 4+ election timeouts
      int writes = 0;
      while (System.nanoTime() < deadline) {
        c.put("k", Integer.toString(++writes));
        for (String n : cluster.nodes()) {
          NodeState s = state(n);
          assertThat(s.getTerm()).as("term of %s", n).isEqualTo(term);
          assertThat(s.getLeader()).as("leader seen by %s", n).isEqualTo(leader);
        }
        Thread.sleep(100);
      }
      assertThat(writes).isGreaterThan(5);
      assertThat(counters(follower, leader).bytesForward()).as("nothing crosses the blocked link").isEqualTo(heldBytes);
      assertThat(counters(leader, follower).bytesForward()).as("heartbeats still reach the follower").isGreaterThan(heartbeatBytes);

      cluster.network().unblock(follower, leader);
      long leaderCommit = state(leader).getCommitIndex();
      awaitCondition("follower " + follower + " catching up", () -> state(follower).getCommitIndex() >= leaderCommit, Duration.ofSeconds(10));
      assertThat(state(leader).getTerm()).isEqualTo(term);
    }
    closeAndAssertEverythingGone();
  }

  @Test
  void aRestartedNodeOnANewPeerPortIsFoundThroughTheSameProxy(@TempDir Path dir) throws Exception {
    cluster = RaftlabCluster.start(dir, 3, PARAMS, START);
    String leader = cluster.leader(START).orElseThrow();
    String follower = cluster.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    Path ports = cluster.local().dataDir(follower).resolve(io.raftlab.server.transport.PortsFile.FILE_NAME);
    String portBefore = io.raftlab.server.transport.PortsFile.read(ports, "peer");
    String proxyBefore = cluster.mesh().proxyAddress(leader, follower);
    long connectionsBefore = counters(leader, follower).connectionsAccepted();
    try (RaftlabClient c = client(cluster.nodes())) {
      c.put("k", "before");
      cluster.kill(follower);
      assertThat(cluster.isRunning(follower)).isFalse();
      c.put("k", "while-down");
      // A node reuses its previous port when it can; hold that port so it must take a new one.
      try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
        squatter.setReuseAddress(true);
        squatter.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(portBefore.substring(portBefore.lastIndexOf(':') + 1))));
        cluster.restart(follower);
      }
      assertThat(io.raftlab.server.transport.PortsFile.read(ports, "peer")).isNotEqualTo(portBefore);
      c.put("k", "after");
      long leaderCommit = state(leader).getCommitIndex();
      awaitCondition("restarted " + follower + " catching up", () -> state(follower).getCommitIndex() >= leaderCommit, Duration.ofSeconds(20));
    }
    assertThat(cluster.mesh().proxyAddress(leader, follower)).isEqualTo(proxyBefore);
    assertThat(counters(leader, follower).connectionsAccepted()).as("the leader reconnected through the proxy").isGreaterThan(connectionsBefore);
    closeAndAssertEverythingGone();
  }
}
