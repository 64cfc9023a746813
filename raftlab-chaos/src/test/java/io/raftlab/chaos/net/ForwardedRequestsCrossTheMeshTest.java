package io.raftlab.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.chaos.cluster.RaftlabCluster;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.KvException;
import io.raftlab.client.PutResult;
import io.raftlab.client.RaftlabClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower relaying a client request to its leader uses the same network as Raft messages: cut
 * off from the leader, it cannot get a write committed by forwarding it.
 */
class ForwardedRequestsCrossTheMeshTest {

  private static final ClientOptions ONE_TRY = ClientOptions.builder()
      .callTimeout(Duration.ofSeconds(3)).totalDeadline(Duration.ofSeconds(4)).build();

  @Test
  void anIsolatedFollowerCannotForwardAWriteToTheLeader(@TempDir Path dir) throws Exception {
    try (RaftlabCluster cluster = RaftlabCluster.start(dir, 3,
        Map.of("follower-mode", "forward", "request-timeout-millis", "1500"), Duration.ofSeconds(60))) {
      String leader = cluster.leader(Duration.ofSeconds(60)).orElseThrow();
      String follower = cluster.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      EndpointAddress viaFollower = EndpointAddress.parse(cluster.clientAddress(follower).orElseThrow(), "follower");

      // Setup: a write the follower relays. Right after start-up leadership may still move, so retry.
      PutResult relayed = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (relayed == null && System.nanoTime() < deadline) {
        try (RaftlabClient c = RaftlabClient.forNode(viaFollower, ONE_TRY)) {
          relayed = c.put("k", "before");
        } catch (KvException e) {
          Thread.sleep(200);
        }
      }
      assertThat(relayed).as("a write relayed by %s", follower).isNotNull();
      String leaderNow = relayed.info().nodeId();
      assertThat(leaderNow).as("answered by the leader, not by the follower itself").isNotEqualTo(follower);

      cluster.network().isolate(follower);
      try (RaftlabClient c = RaftlabClient.forNode(viaFollower, ONE_TRY)) {
        assertThatThrownBy(() -> c.put("k", "during")).isInstanceOfSatisfying(KvException.class,
            e -> assertThat(e.outcome()).as("the follower may have relayed it").isEqualTo(KvException.Outcome.UNKNOWN));
      }
      // Still isolated: the relayed write has not reached the leader (the test talks to it directly).
      String leaderDuring = cluster.leader(Duration.ofSeconds(60)).orElseThrow();
      try (RaftlabClient c = RaftlabClient.forNode(EndpointAddress.parse(cluster.clientAddress(leaderDuring).orElseThrow(), "leader"), ONE_TRY)) {
        assertThat(c.get("k").value()).contains("before");
      }
      cluster.network().healAll();
      String after = cluster.leader(Duration.ofSeconds(60)).orElseThrow();
      try (RaftlabClient c = RaftlabClient.forNode(EndpointAddress.parse(cluster.clientAddress(after).orElseThrow(), "leader"), ONE_TRY)) {
        // The blackhole held the relayed request's bytes; once healed they may still arrive and be
        // applied, as a request delayed by a real network can be. Its client was told "unknown".
        assertThat(c.get("k").value()).isPresent().get().isIn("before", "during");
      }
    }
  }

  @Test
  void aRedirectNamesTheLeadersOwnClientAddressNotAProxy(@TempDir Path dir) throws Exception {
    try (RaftlabCluster cluster = RaftlabCluster.start(dir, 3, Map.of("follower-mode", "redirect"), Duration.ofSeconds(60))) {
      ClientOptions noRedirects = ONE_TRY.toBuilder().maxAttempts(1).followRedirects(false).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        String leader = cluster.leader(Duration.ofSeconds(60)).orElseThrow();
        String follower = cluster.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        EndpointAddress viaFollower = EndpointAddress.parse(cluster.clientAddress(follower).orElseThrow(), "follower");
        KvException e = null;
        try (RaftlabClient c = RaftlabClient.forNode(viaFollower, noRedirects)) {
          c.put("k", "v");
        } catch (KvException refused) {
          e = refused;
        }
        var hint = e == null ? null : e.lastAttempt().map(a -> a.leaderHint()).orElse(null);
        // Leadership can move under a loaded machine; only a hint naming the current leader counts.
        if (hint != null && leader.equals(e.lastAttempt().get().leaderIdHint()) || System.nanoTime() > deadline) {
          assertThat(hint).as("redirect hint").isNotNull();
          assertThat(hint.toString()).isEqualTo(cluster.clientAddress(leader).orElseThrow());
          return;
        }
        Thread.sleep(200);
      }
    }
  }
}
