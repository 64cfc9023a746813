package io.raftlab.chaos.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.OpResult;
import io.raftlab.chaos.adapter.OpResult.Outcome;
import io.raftlab.chaos.bench.BenchOp;
import io.raftlab.chaos.bench.BenchOptions;
import io.raftlab.chaos.bench.BenchResult;
import io.raftlab.chaos.bench.EtcdKvSystem;
import io.raftlab.chaos.bench.LoadGenerator;
import io.raftlab.chaos.etcd.EtcdCluster.MemberStatus;
import io.raftlab.chaos.netns.NamespaceNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real etcd members in network namespaces, driven through the toolkit's seams. */
class EtcdClusterTest {

  private static final Duration LEADER_WAIT = Duration.ofSeconds(40);
  private static final Duration CALL = Duration.ofSeconds(2);

  @TempDir
  Path dir;

  private final EtcdImplementation etcd = new EtcdImplementation();
  private final List<KvClient> clients = new ArrayList<>();
  private EtcdCluster cluster;

  @BeforeEach
  void requireRootAndEtcd() {
    assumeTrue(NamespaceNetwork.missingPrerequisite().isEmpty(),
        () -> "skipped: " + NamespaceNetwork.missingPrerequisite().orElse(""));
    // CI installs etcd-server: a missing etcd is a failure, not a skip.
    EtcdSettings.findEtcd();
  }

  @AfterEach
  void tearDown() {
    for (KvClient c : clients) {
      c.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private EtcdCluster start(int nodes) throws Exception {
    cluster = etcd.start(new ClusterRequest(dir, nodes, Map.of("heartbeat-interval", "100", "election-timeout", "1000"), Duration.ofSeconds(60)));
    return cluster;
  }

  private KvClient client(ClientRoute route) {
    KvClient c = etcd.client(cluster, route);
    clients.add(c);
    return c;
  }

  /** Repeats {@code op} until it is OK or the deadline passes; the last result. */
  private static OpResult untilOk(Supplier<OpResult> op, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    OpResult r = op.get();
    while (r.outcome() != Outcome.OK && System.nanoTime() < end) {
      Thread.sleep(200);
      r = op.get();
    }
    return r;
  }

  @Test
  void isolatingTheLeaderLetsTheMajorityElectAnotherAndWrite() throws Exception {
    start(3);
    for (String n : cluster.nodes()) {
      long pid = cluster.pid(n).orElseThrow();
      assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("")).as("the pid we signal is etcd's own").endsWith("etcd");
    }
    String old = cluster.leader(LEADER_WAIT).orElseThrow();
    cluster.network().isolate(old);

    java.time.Instant isolatedAt = java.time.Instant.now();
    String next = awaitLeaderOtherThan(old);
    // The new leader's log says when it won: after the isolation, and not in the future.
    assertThat(cluster.leaderSince(next)).hasValueSatisfying(at -> assertThat(at)
        .isAfterOrEqualTo(isolatedAt.minusMillis(1)).isBeforeOrEqualTo(java.time.Instant.now()));
    assertThat(cluster.leaderSince(majorityFollower(next, old))).isEmpty();
    List<String> majority = cluster.nodes().stream().filter(n -> !n.equals(old)).toList();
    KvClient c = client(ClientRoute.standard(majority, CALL));
    assertThat(untilOk(() -> c.write("k", "after-isolation"), Duration.ofSeconds(30)).outcome()).isEqualTo(Outcome.OK);
    assertThat(untilOk(() -> c.read("k"), Duration.ofSeconds(30)).value()).isEqualTo("after-isolation");
    assertThat(next).isNotEqualTo(old);

    cluster.network().healAll();
    KvClient pinnedOld = client(ClientRoute.pinned(old, CALL));
    assertThat(untilOk(() -> pinnedOld.read("k"), Duration.ofSeconds(40)).value()).as("the old leader catches up after heal").isEqualTo("after-isolation");
    assertThat(cluster.leader(LEADER_WAIT)).isPresent();
  }

  private String majorityFollower(String leader, String isolated) {
    return cluster.nodes().stream().filter(n -> !n.equals(leader) && !n.equals(isolated)).findFirst().orElseThrow();
  }

  private String awaitLeaderOtherThan(String old) throws InterruptedException {
    long end = System.nanoTime() + LEADER_WAIT.toNanos();
    while (System.nanoTime() < end) {
      Optional<String> l = cluster.leader(Duration.ofSeconds(2));
      if (l.isPresent() && !l.get().equals(old)) {
        return l.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader other than " + old + " within " + LEADER_WAIT);
  }

  @Test
  void aOneWayBlockCutsTheLeaderOffFromOneFollowerWhoThenCampaigns() throws Exception {
    start(3);
    String leader = cluster.leader(LEADER_WAIT).orElseThrow();
    String follower = cluster.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    String other = cluster.nodes().stream().filter(n -> !n.equals(leader) && !n.equals(follower)).findFirst().orElseThrow();

    cluster.network().block(leader, follower);
    assertThat(cluster.network().blockedLinks()).hasSize(1);
    // no more heartbeats reach the follower: it loses its leader (and campaigns, see its log) ...
    long end = System.nanoTime() + LEADER_WAIT.toNanos();
    while (cluster.status(follower).map(MemberStatus::leaderId).orElse(-1L) != 0 && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(cluster.status(follower).orElseThrow().leaderId()).as(follower + " no longer hears the leader").isZero();
    // ... while the other follower, whose links are intact, still follows the leader
    MemberStatus o = cluster.status(other).orElseThrow();
    assertThat(cluster.nodeOfMember(o.leaderId())).as(other + " still has a leader").isPresent();

    cluster.network().healAll();
    assertThat(cluster.leader(LEADER_WAIT)).isPresent();
    KvClient c = client(ClientRoute.standard(cluster.nodes(), CALL));
    assertThat(untilOk(() -> c.write("k", "healed"), Duration.ofSeconds(30)).outcome()).isEqualTo(Outcome.OK);
    long end2 = System.nanoTime() + LEADER_WAIT.toNanos();
    List<Long> leaders;
    do {
      Thread.sleep(100);
      leaders = cluster.nodes().stream().map(n -> cluster.status(n).map(MemberStatus::leaderId).orElse(0L)).distinct().toList();
    } while ((leaders.size() != 1 || leaders.get(0) == 0) && System.nanoTime() < end2);
    assertThat(leaders).as("after heal every member follows one leader").hasSize(1).doesNotContain(0L);
  }

  @Test
  void clientClassifiesFailedCasPausedMemberAndKilledMember() throws Exception {
    start(3);
    cluster.leader(LEADER_WAIT).orElseThrow();
    KvClient c = client(ClientRoute.standard(cluster.nodes(), CALL));
    // a fresh client's first call may be slow (channels, a loaded machine): a read is safe to repeat
    assertThat(untilOk(() -> c.read("x"), Duration.ofSeconds(30)).outcome()).isEqualTo(Outcome.OK);
    OpResult created = c.cas("x", null, "1");
    assertThat(created.outcome()).as(created.toString()).isEqualTo(Outcome.OK);
    OpResult absentButPresent = c.cas("x", null, "2");
    assertThat(absentButPresent.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(absentButPresent.value()).isEqualTo("1");
    OpResult wrong = c.cas("x", "7", "2");
    assertThat(wrong.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(wrong.value()).as("the current value, read in the transaction's else branch").isEqualTo("1");
    assertThat(c.cas("x", "1", "2").outcome()).isEqualTo(Outcome.OK);
    assertThat(c.read("x").value()).isEqualTo("2");
    assertThat(c.delete("x").outcome()).isEqualTo(Outcome.OK);
    assertThat(untilOk(() -> c.read("x"), Duration.ofSeconds(10)).value()).isNull();

    String victim = cluster.nodes().get(2);
    KvClient pinned = client(ClientRoute.pinned(victim, Duration.ofSeconds(1)));
    assertThat(untilOk(() -> pinned.read("x"), Duration.ofSeconds(20)).outcome()).isEqualTo(Outcome.OK); // connected first
    cluster.pause(victim);
    long t0 = System.nanoTime();
    OpResult w = pinned.write("y", "while-paused");
    assertThat(w.outcome()).as(w.toString()).isEqualTo(Outcome.INFO);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(pinned.read("y").outcome()).isEqualTo(Outcome.INFO);
    cluster.resume(victim);
    OpResult kept = untilOk(() -> c.write("kept", "yes"), Duration.ofSeconds(30));
    assertThat(kept.outcome()).as(kept.toString()).isEqualTo(Outcome.OK);

    cluster.kill(victim);
    assertThat(cluster.isRunning(victim)).isFalse();
    assertThat(cluster.clientAddress(victim)).isEmpty();
    KvClient toDead = client(ClientRoute.pinned(victim, Duration.ofSeconds(1)));
    OpResult refused = toDead.write("z", "never");
    assertThat(refused.outcome()).as(refused.toString()).isEqualTo(Outcome.FAIL);

    cluster.restart(victim);
    cluster.awaitHealthy(victim, LEADER_WAIT);
    // The restarted member kept its data and serves it. The write sent while it was paused ended
    // unknown, and so it is: etcd may or may not have taken it once it ran again.
    assertThat(untilOk(() -> toDead.read("kept"), Duration.ofSeconds(30)).value()).isEqualTo("yes");
    assertThat(untilOk(() -> toDead.read("y"), Duration.ofSeconds(30)).value()).isIn(null, "while-paused");
  }

  @Test
  void kvSystemServesTheLoadGenerator() throws Exception {
    start(3);
    cluster.leader(LEADER_WAIT).orElseThrow();
    List<String> urls = cluster.nodes().stream().map(cluster::clientUrl).toList();
    try (EtcdKvSystem system = new EtcdKvSystem(urls, 2, Duration.ofSeconds(5))) {
      BenchOptions o = new BenchOptions(BenchOp.MIXED, 4, Duration.ofSeconds(1), Duration.ofSeconds(2), 8, 64, 100, 1);
      LoadGenerator gen = new LoadGenerator(system, s -> { });
      gen.preload(o, 4);
      BenchResult r = gen.run(o);
      assertThat(r.operations()).isPositive();
      assertThat(r.errors()).isEmpty();
      // The same through jetcd's futures, no thread per client.
      BenchResult async = new LoadGenerator(system, s -> { }, true).run(o);
      assertThat(async.operations()).isPositive();
      assertThat(async.errors()).isEmpty();
      assertThat(system.errorKind(new java.util.concurrent.TimeoutException())).isEqualTo("TIMEOUT");
    }
  }

  @Test
  void badSettingsGetClearErrors() {
    assertThatThrownBy(() -> EtcdSettings.parse(Map.of("election-timeout-min-millis", "150")))
        .hasMessageContaining("election-timeout-min-millis").hasMessageContaining("heartbeat-interval");
    assertThatThrownBy(() -> EtcdSettings.parse(Map.of("heartbeat-interval", "100", "election-timeout", "300")))
        .hasMessageContaining("5 x heartbeat-interval");
    assertThatThrownBy(() -> EtcdSettings.parse(Map.of("election-timeout", "soon"))).hasMessageContaining("election-timeout");
  }
}
