package io.raftlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftlab.api.admin.NodeState;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.GetResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import io.raftlab.api.kv.Session;
import io.raftlab.server.launch.LocalCluster;
import io.raftlab.server.service.Trailers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real node processes on loopback, real disks, real gRPC. */
class ClusterProcessTest {

  private static final Duration START = Duration.ofSeconds(60);
  private final ClusterChannels channels = new ClusterChannels();
  private LocalCluster cluster;

  @AfterEach
  void tearDown() {
    channels.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private KeyValueGrpc.KeyValueBlockingStub kv(String id) {
    return channels.kv(cluster, id);
  }


  private static Session session(String client, long seq) {
    return Session.newBuilder().setClientId(client).setSequence(seq).build();
  }

  @Test
  void killingTheLeaderLosesNoAcknowledgedWriteAndTheRestartedNodeCatchesUp(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 5, Map.of("election-timeout-min-millis", "150", "election-timeout-max-millis", "300"), START);
    String leader = cluster.awaitLeader(START);
    // Start from a settled cluster: one write through the leader first (leadership can still move
    // in the first moments after start-up).
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      leader = cluster.awaitLeader(START);
      try {
        kv(leader).withDeadlineAfter(2, TimeUnit.SECONDS)
            .put(PutRequest.newBuilder().setSession(session("settle", 1)).setKey("settle").setValue("1").build());
        break;
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > settle) {
          throw e;
        }
        Thread.sleep(100);
      }
    }

    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      final int writer = w;
      Thread t = new Thread(() -> {
        long seq = 0;
        int i = 0;
        while (!stop.get()) {
          String key = "w" + writer + "-" + (i++);
          seq++;
          // Any node will do: followers forward to the leader.
          String via = cluster.ids().get((writer + i) % 5);
          try {
            kv(via).withDeadlineAfter(2, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setSession(session("writer-" + writer, seq)).setKey(key).setValue("v" + i).build());
            acked.put(key, "v" + i);
          } catch (StatusRuntimeException e) {
            // not acknowledged: may or may not be applied; only acknowledged writes are checked
            try {
              Thread.sleep(20); // do not spin while there is no leader
            } catch (InterruptedException ie) {
              return;
            }
          }
        }
      });
      t.start();
      writers.add(t);
    }
    Thread.sleep(2500);
    cluster.kill(leader);
    String newLeader = cluster.awaitLeader(START);
    assertThat(newLeader).isNotEqualTo(leader);
    Thread.sleep(2000);
    stop.set(true);
    for (Thread t : writers) {
      t.join(10_000);
    }
    assertThat(acked).hasSizeGreaterThan(20);

    for (Map.Entry<String, String> e : acked.entrySet()) {
      GetResponse r = channels.onLeader(cluster, START, kv -> kv.get(GetRequest.newBuilder().setKey(e.getKey()).build()));
      assertThat(r.getFound()).as("acknowledged key %s", e.getKey()).isTrue();
      assertThat(r.getValue()).isEqualTo(e.getValue());
    }

    cluster.restart(leader, START);
    long target = cluster.state(cluster.awaitLeader(START), Duration.ofSeconds(2)).orElseThrow().getCommitIndex();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long applied = 0;
    while (System.nanoTime() < deadline) {
      Optional<NodeState> s = cluster.state(leader, Duration.ofSeconds(1));
      applied = s.map(NodeState::getLastApplied).orElse(0L);
      if (applied >= target) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(applied).as("restarted node applied index").isGreaterThanOrEqualTo(target);
  }

  @Test
  void aRetriedWriteIsAppliedOnceAndAnOldDuplicateIsRefused(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    CompareAndSetRequest cas = CompareAndSetRequest.newBuilder().setSession(session("c1", 1)).setKey("k").setExpectAbsent(true).setNewValue("a").build();
    // A retry after a lost answer is the very property under test, so retrying through leader
    // changes is fair here.
    var first = channels.onLeader(cluster, START, kv -> kv.compareAndSet(cas));
    assertThat(first.getSucceeded()).isTrue();
    // The same request again (a client retry): the original answer, not a second application,
    // which would fail because the key now exists.
    var retry = channels.onLeader(cluster, START, kv -> kv.compareAndSet(cas));
    assertThat(retry.getSucceeded()).isTrue();
    assertThat(retry.getHeader().getIndex()).isEqualTo(first.getHeader().getIndex());

    PutResponse put = channels.onLeader(cluster, START,
        kv -> kv.put(PutRequest.newBuilder().setSession(session("c1", 2)).setKey("k").setValue("b").setReturnPrevious(true).build()));
    assertThat(put.getPrevious()).isEqualTo("a");
    assertThatThrownBy(() -> channels.onLeader(cluster, START,
        kv -> kv.put(PutRequest.newBuilder().setSession(session("c1", 1)).setKey("k").setValue("z").build())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("STALE_SEQUENCE");
          assertThat(e.getTrailers().get(Trailers.OUTCOME)).isEqualTo("not-applied");
        });
    assertThat(channels.onLeader(cluster, START, kv -> kv.get(GetRequest.newBuilder().setKey("k").build())).getValue()).isEqualTo("b");
  }

  @Test
  void badInputGetsAClearErrorAndCrashesNothing(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of("max-key-bytes", "16", "max-value-bytes", "32", "follower-mode", "redirect"), START);
    String leader = cluster.awaitLeader(START);
    assertThatThrownBy(() -> kv(leader).put(PutRequest.newBuilder().setSession(session("c", 1)).setKey("k".repeat(17)).setValue("v").build()))
        .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("max-key-bytes");
    assertThatThrownBy(() -> kv(leader).put(PutRequest.newBuilder().setSession(session("c", 1)).setKey("k").setValue("v".repeat(33)).build()))
        .hasMessageContaining("max-value-bytes");
    assertThatThrownBy(() -> kv(leader).get(GetRequest.newBuilder().setKey("").build())).hasMessageContaining("key: must not be empty");
    assertThatThrownBy(() -> kv(leader).put(PutRequest.newBuilder().setKey("k").setValue("v").build())).hasMessageContaining("client_id");
    // A follower redirects to the leader it knows. Leadership may move under a loaded machine, so
    // the hint is compared with the leader seen just before and just after the call.
    for (int attempt = 1; ; attempt++) {
      String before = cluster.awaitLeader(START);
      String follower = cluster.ids().stream().filter(i -> !i.equals(before)).findFirst().orElseThrow();
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> kv(follower).withDeadlineAfter(5, TimeUnit.SECONDS)
              .put(PutRequest.newBuilder().setSession(session("c", 1)).setKey("k").setValue("v").build()));
      String after = cluster.awaitLeader(START);
      if (!before.equals(after) && attempt < 5) {
        continue;
      }
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      Metadata t = e.getTrailers();
      assertThat(t.get(Trailers.LEADER_ID)).isEqualTo(before);
      assertThat(t.get(Trailers.LEADER_ADDRESS)).isEqualTo(cluster.clientAddress(before));
      break;
    }
    for (String id : cluster.ids()) {
      assertThat(cluster.isAlive(id)).isTrue();
    }
    assertThat(channels.onLeader(cluster, START,
        kv -> kv.put(PutRequest.newBuilder().setSession(session("c", 1)).setKey("k").setValue("v").build())).getHeader().getIndex()).isPositive();
  }
}
