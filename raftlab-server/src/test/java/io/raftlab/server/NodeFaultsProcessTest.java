package io.raftlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import io.raftlab.api.kv.Session;
import io.raftlab.server.launch.LocalCluster;
import io.raftlab.server.service.Trailers;
import io.raftlab.server.transport.PortsFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults on real node processes: pauses, a damaged log, full restarts; and what a node reports. */
class NodeFaultsProcessTest {

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
    return channels.kv(cluster, id).withDeadlineAfter(5, TimeUnit.SECONDS);
  }


  private static PutRequest put(String client, long seq, String key, String value) {
    return PutRequest.newBuilder().setSession(Session.newBuilder().setClientId(client).setSequence(seq)).setKey(key).setValue(value).build();
  }

  @Test
  void aMinorityCannotCommitAndTheWriteEndsUnknownNotFalselyOk(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of("request-timeout-millis", "1500"), START);
    channels.onLeader(cluster, START, kv -> kv.put(put("c", 1, "k", "before")));
    String leader = cluster.awaitLeader(START);
    List<String> others = cluster.ids().stream().filter(i -> !i.equals(leader)).toList();
    for (String o : others) {
      cluster.pause(o); // the leader is now a minority of one
    }
    try {
      // Never a false success. Either the write was taken and cannot commit (timeout, outcome
      // unknown), or check-quorum already deposed the leader and it was refused (not applied).
      assertThatThrownBy(() -> kv(leader).put(put("c", 2, "k", "during")))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
              assertThat(e.getTrailers().get(Trailers.OUTCOME)).isEqualTo("unknown");
            } else {
              assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.FAILED_PRECONDITION);
              assertThat(e.getTrailers().get(Trailers.OUTCOME)).isEqualTo("not-applied");
            }
          });
      assertThatThrownBy(() -> kv(leader).get(GetRequest.newBuilder().setKey("k").build()))
          .isInstanceOf(StatusRuntimeException.class); // no read without a majority
    } finally {
      for (String o : others) {
        cluster.resume(o);
      }
    }
    assertThat(channels.onLeader(cluster, START, kv -> kv.get(GetRequest.newBuilder().setKey("k").build())).getValue()).isIn("before", "during");
  }

  @Test
  void sessionsSurviveAWholeClusterRestart(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    String leader = cluster.awaitLeader(START);
    PutResponse first = channels.onLeader(cluster, START, kv -> kv.put(put("c", 1, "k", "a")));
    channels.onLeader(cluster, START, kv -> kv.put(put("other", 1, "k", "b")));
    for (String id : cluster.ids()) {
      cluster.kill(id);
    }
    channels.close();
    for (String id : cluster.ids()) {
      cluster.restart(id, START);
    }
    String again = cluster.awaitLeader(START);
    PutResponse retry = channels.onLeader(cluster, START, kv -> kv.put(put("c", 1, "k", "a")));
    assertThat(retry.getHeader().getIndex()).isEqualTo(first.getHeader().getIndex());
    assertThat(channels.onLeader(cluster, START, kv -> kv.get(GetRequest.newBuilder().setKey("k").build())).getValue()).isEqualTo("b");
  }

  @Test
  void aFlippedBitInTheMiddleOfTheLogStopsTheNodeNamingFileAndOffset(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    String leader = cluster.awaitLeader(START);
    for (int i = 1; i <= 20; i++) {
      PutRequest req = put("c", i, "k" + i, "value-" + i);
      channels.onLeader(cluster, START, kv -> kv.put(req));
    }
    String victim = cluster.ids().stream().filter(i -> !i.equals(leader)).findFirst().orElseThrow();
    cluster.kill(victim);
    Path segment;
    try (var files = Files.list(cluster.dataDir(victim).resolve("wal"))) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, size / 2);
      b.put(0, (byte) (b.get(0) ^ 0x10));
      ch.write(b.flip(), size / 2);
    }
    assertThatThrownBy(() -> cluster.restart(victim, START))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exited with status 2")
        .hasMessageContaining(segment.getFileName().toString())
        .hasMessageContaining("offset");
  }

  @Test
  void metricsAreServedInPrometheusFormat(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    channels.onLeader(cluster, START, kv -> kv.put(put("c", 1, "k", "v")));
    // The leader's own endpoint says it leads; asked again if leadership moved in between.
    String body = "";
    String leader = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      leader = cluster.awaitLeader(START);
      String metrics = PortsFile.read(cluster.dataDir(leader).resolve(PortsFile.FILE_NAME), "metrics");
      body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + metrics + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains("raftlab_is_leader{node=\"" + leader + "\"} 1.0")) {
        break;
      }
    }
    assertThat(body).contains("raftlab_commits_total").contains("raftlab_elections_total").contains("raftlab_fsync_seconds")
        .contains("raftlab_queue_events").contains("raftlab_client_requests_total").contains("raftlab_is_leader{node=\"" + leader + "\"} 1.0");
  }
}
