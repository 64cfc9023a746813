package io.raftlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.raftlab.api.admin.ControlRequest;
import io.raftlab.api.admin.GetLogRequest;
import io.raftlab.api.admin.TransferLeadershipRequest;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.Session;
import io.raftlab.api.peer.MessageType;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import io.raftlab.server.launch.LocalCluster;
import io.raftlab.server.transport.PortsFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inspection and control through the admin service, and peer input a node must refuse without harm. */
class AdminAndPeerInputProcessTest {

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

  private String other(String... not) {
    Set<String> skip = Set.of(not);
    return cluster.ids().stream().filter(i -> !skip.contains(i)).findFirst().orElseThrow();
  }

  /**
   * Runs {@code control} (a campaign or a transfer) until {@code expected} leads: on a loaded
   * machine another node's election timer may win the race, which is allowed, so it tries again.
   */
  private String leadAfter(String expected, java.util.concurrent.Callable<Boolean> control) throws Exception {
    String leader = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      assertThat(control.call()).as("control request accepted").isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        leader = cluster.awaitLeader(START);
        if (leader.equals(expected)) {
          return leader;
        }
        Thread.sleep(100);
      }
    }
    return leader;
  }

  @Test
  void campaignTransferStepDownAndLogHashesAgree(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    String leader = cluster.awaitLeader(START);
    for (int i = 1; i <= 10; i++) {
      PutRequest put = PutRequest.newBuilder()
          .setSession(Session.newBuilder().setClientId("c").setSequence(i)).setKey("k" + i).setValue("v" + i).build();
      channels.onLeader(cluster, START, kv -> kv.put(put));
    }
    leader = cluster.awaitLeader(START);

    String challenger = other(leader);
    assertThat(leadAfter(challenger, () -> channels.admin(cluster, challenger).campaign(ControlRequest.getDefaultInstance()).getAccepted()))
        .isEqualTo(challenger);

    String target = other(challenger);
    assertThat(leadAfter(target, () -> {
      String current = cluster.awaitLeader(START);
      return channels.admin(cluster, current).transferLeadership(TransferLeadershipRequest.newBuilder().setTo(target).build()).getAccepted()
          || current.equals(target);
    })).isEqualTo(target);

    var down = channels.admin(cluster, target).stepDown(ControlRequest.getDefaultInstance());
    assertThat(down.getAccepted()).isTrue();
    String after = cluster.awaitLeader(START);
    long term = channels.admin(cluster, after).getState(io.raftlab.api.admin.GetStateRequest.getDefaultInstance()).getTerm();
    assertThat(term).isGreaterThan(1);

    // Every node holds the same committed prefix: equal hashes of [1, commit].
    long commit = channels.admin(cluster, after).getState(io.raftlab.api.admin.GetStateRequest.getDefaultInstance()).getCommitIndex();
    Set<String> hashes = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      hashes.clear();
      for (String id : cluster.ids()) {
        var log = channels.admin(cluster, id).getLog(GetLogRequest.newBuilder().setFromIndex(1).setToIndex(commit + 1).setHashOnly(true).build());
        hashes.add(java.util.HexFormat.of().formatHex(log.getHash().toByteArray()));
      }
    } while (hashes.size() != 1 && System.nanoTime() < deadline && sleep());
    assertThat(hashes).hasSize(1);
    var entries = channels.admin(cluster, after).getLog(GetLogRequest.newBuilder().setFromIndex(1).setToIndex(commit + 1).build());
    assertThat(entries.getEntriesCount()).isEqualTo((int) commit);
  }

  @Test
  void malformedAndForeignPeerMessagesAreRefusedCountedAndHarmless(@TempDir Path dir) throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    String leader = cluster.awaitLeader(START);
    String victim = other(leader);
    String peer = PortsFile.read(cluster.dataDir(victim).resolve(PortsFile.FILE_NAME), "peer");
    CountDownLatch closed = new CountDownLatch(1);
    StreamObserver<RaftMessage> stream = RaftPeerGrpc.newStub(channels.channel(peer)).stream(new StreamObserver<StreamClosed>() {
      @Override
      public void onNext(StreamClosed value) {}

      @Override
      public void onError(Throwable t) {
        closed.countDown();
      }

      @Override
      public void onCompleted() {
        closed.countDown();
      }
    });
    stream.onNext(RaftMessage.newBuilder().setTypeValue(99).setFrom(leader).setTo(victim).setTerm(1).build()); // unknown type
    stream.onNext(RaftMessage.newBuilder().setType(MessageType.APPEND).setFrom("n9").setTo(victim).setTerm(99).build()); // not a member
    stream.onNext(RaftMessage.newBuilder().setType(MessageType.VOTE).setFrom(leader).setTo("n7").setTerm(99).build()); // not for this node
    stream.onCompleted();
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();

    String metrics = PortsFile.read(cluster.dataDir(victim).resolve(PortsFile.FILE_NAME), "metrics");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    double malformed = 0;
    double invalid = 0;
    while (System.nanoTime() < deadline && (malformed < 1 || invalid < 2)) {
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + metrics + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      malformed = metric(body, "raftlab_peer_messages_malformed_total");
      invalid = metric(body, "raftlab_peer_messages_invalid_total");
      sleep();
    }
    assertThat(malformed).isEqualTo(1);
    assertThat(invalid).isEqualTo(2);
    assertThat(cluster.isAlive(victim)).isTrue();
    // The foreign term 99 was refused, not adopted: the cluster carries on in its own term.
    assertThat(channels.admin(cluster, victim).getState(io.raftlab.api.admin.GetStateRequest.getDefaultInstance()).getTerm()).isLessThan(99);
    assertThat(cluster.awaitLeader(START)).isNotNull();
  }

  private static double metric(String body, String name) {
    Matcher m = Pattern.compile("^" + name + "\\{[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE).matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static boolean sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
