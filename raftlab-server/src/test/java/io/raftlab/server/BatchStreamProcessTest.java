package io.raftlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.kv.BatchRequest;
import io.raftlab.api.kv.BatchResponse;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.ItemError;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.RequestItem;
import io.raftlab.api.kv.ResponseItem;
import io.raftlab.api.kv.Session;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.KvException;
import io.raftlab.client.KvStreams;
import io.raftlab.client.RaftlabClient;
import io.raftlab.server.launch.LocalCluster;
import io.raftlab.server.service.Trailers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KeyValue.Batch stream on real node processes: items answered by tag, exactly as their unary calls. */
class BatchStreamProcessTest {

  private static final Duration START = Duration.ofSeconds(60);
  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static final ClusterChannels channels = new ClusterChannels();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of(), START);
    // A first write through the leader, so the tests start from a settled cluster.
    channels.onLeader(cluster, START, kv -> kv.put(put("settle", 1, "settle", "1")));
  }

  @AfterAll
  static void stopCluster() {
    channels.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private static PutRequest put(String client, long seq, String key, String value) {
    return PutRequest.newBuilder().setSession(Session.newBuilder().setClientId(client).setSequence(seq)).setKey(key).setValue(value).build();
  }

  /** Sends the items as one message, closes the request side and returns every answer by tag once the server ends the stream. */
  private static Map<Long, ResponseItem> exchange(String node, List<RequestItem> items) throws Exception {
    Map<Long, ResponseItem> answers = new ConcurrentHashMap<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    StreamObserver<BatchRequest> requests = KeyValueGrpc.newStub(channels.channel(cluster.clientAddress(node)))
        .batch(new StreamObserver<>() {
          @Override
          public void onNext(BatchResponse r) {
            for (ResponseItem item : r.getItemsList()) {
              assertThat(answers.put(item.getTag(), item)).as("tag %d answered twice", item.getTag()).isNull();
            }
          }

          @Override
          public void onError(Throwable t) {
            ended.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            ended.complete(null);
          }
        });
    requests.onNext(BatchRequest.newBuilder().addAllItems(items).build());
    requests.onCompleted();
    ended.get(30, TimeUnit.SECONDS);
    return new TreeMap<>(answers);
  }

  private static boolean leadershipMoved(ItemError e) {
    Status.Code code = Status.fromCodeValue(e.getCode()).getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        || (code == Status.Code.FAILED_PRECONDITION && e.getDescription().startsWith("NOT_LEADER"));
  }

  @Test
  void everyItemIsAnsweredByItsTagAsItsUnaryCallWouldBe() throws Exception {
    List<RequestItem> items = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      items.add(RequestItem.newBuilder().setTag(i).setPut(put("b" + i, 1, "k" + i, "v" + i)).build());
    }
    items.add(RequestItem.newBuilder().setTag(21).setPut(put("b21", 1, "", "v")).build());
    items.add(RequestItem.newBuilder().setTag(22).build());
    // Proposed after tag 1's put, so it finds k1 set.
    items.add(RequestItem.newBuilder().setTag(23).setCas(CompareAndSetRequest.newBuilder()
        .setSession(Session.newBuilder().setClientId("c").setSequence(1)).setKey("k1").setExpectAbsent(true).setNewValue("x")).build());

    Map<Long, ResponseItem> answers = null;
    // Sessions make a repeat of the whole batch the same requests, so repeating it while leadership moves is fair.
    for (int round = 1; round <= 5; round++) {
      answers = exchange(cluster.awaitLeader(START), items);
      if (answers.values().stream().noneMatch(a -> a.hasError() && leadershipMoved(a.getError()))) {
        break;
      }
    }
    assertThat(answers).hasSize(23);
    Set<Long> indexes = new HashSet<>();
    for (long tag = 1; tag <= 20; tag++) {
      ResponseItem a = answers.get(tag);
      assertThat(a.hasPut()).as("answer to tag %d: %s", tag, a).isTrue();
      indexes.add(a.getPut().getHeader().getIndex());
    }
    assertThat(indexes).as("one log entry per put").hasSize(20);
    ItemError emptyKey = answers.get(21L).getError();
    assertThat(Status.fromCodeValue(emptyKey.getCode()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(emptyKey.getDescription()).contains("key: must not be empty");
    assertThat(emptyKey.getTrailersMap()).containsEntry("raftlab-outcome", "not-applied");
    ItemError noOp = answers.get(22L).getError();
    assertThat(Status.fromCodeValue(noOp.getCode()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noOp.getDescription()).contains("no operation");
    assertThat(answers.get(23L).getCas().getSucceeded()).isFalse();
    assertThat(answers.get(23L).getCas().getCurrent()).isEqualTo("v1");

    // A retried item gets the original answer (at most once, as for unary calls); reads see the writes.
    Map<Long, ResponseItem> again = null;
    for (int round = 1; round <= 5; round++) {
      again = exchange(cluster.awaitLeader(START), List.of(
          RequestItem.newBuilder().setTag(5).setPut(put("b5", 1, "k5", "v5")).build(),
          RequestItem.newBuilder().setTag(7).setGet(GetRequest.newBuilder().setKey("k7")).build(),
          RequestItem.newBuilder().setTag(8).setPut(put("b8", 2, "k8", "w8").toBuilder().setReturnPrevious(true)).build(),
          RequestItem.newBuilder().setTag(9).setPut(put("b9", 2, "k9", "w9")).build()));
      if (again.values().stream().noneMatch(a -> a.hasError() && leadershipMoved(a.getError()))) {
        break;
      }
    }
    assertThat(again.get(5L).getPut().getHeader().getIndex()).isEqualTo(answers.get(5L).getPut().getHeader().getIndex());
    assertThat(again.get(7L).getGet().getValue()).isEqualTo("v7");
    assertThat(again.get(8L).getPut().getPrevious()).as("asked for").isEqualTo("v8");
    assertThat(again.get(9L).getPut().getHadPrevious()).isTrue();
    assertThat(again.get(9L).getPut().getPrevious()).as("not asked for (etcd's prev_kv off)").isEmpty();
  }

  @Test
  void aFollowerForwardsItemsButNeverForwardsARequestThatWasForwardedToIt() throws Exception {
    for (int attempt = 1; ; attempt++) {
      String leader = cluster.awaitLeader(START);
      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      ResponseItem viaFollower = exchange(follower,
          List.of(RequestItem.newBuilder().setTag(1).setPut(put("f" + attempt, 1, "fk", "fv")).build())).get(1L);

      // A request marked as forwarded must be refused by a non-leader, not sent on again: the
      // answer is handled on the Raft loop's thread, where the call's context is not attached.
      Metadata marked = new Metadata();
      marked.put(Trailers.FORWARDED, "1");
      KeyValueGrpc.KeyValueBlockingStub stub = KeyValueGrpc.newBlockingStub(channels.channel(cluster.clientAddress(follower)))
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(marked)).withDeadlineAfter(5, TimeUnit.SECONDS);
      StatusRuntimeException refused = null;
      try {
        stub.put(put("g" + attempt, 1, "gk", "gv"));
      } catch (StatusRuntimeException e) {
        refused = e;
      }
      if (!cluster.awaitLeader(START).equals(leader) && attempt < 5) {
        continue; // leadership moved under the test: the follower may have been the leader
      }
      assertThat(viaFollower.hasPut()).as("forwarded item: %s", viaFollower).isTrue();
      assertThat(viaFollower.getPut().getHeader().getNodeId()).isEqualTo(leader);
      assertThat(refused).as("a forwarded request reaching a follower").isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(refused.getStatus().getDescription()).startsWith("NOT_LEADER");
      assertThat(refused.getTrailers().get(Trailers.OUTCOME)).isEqualTo("not-applied");
      return;
    }
  }

  @Test
  void aMalformedBatchMessageIsRefusedWithoutHarmingTheNode() throws Exception {
    String leader = cluster.awaitLeader(START);
    // Bytes that do not parse as a BatchRequest: gRPC refuses the stream, the node stays up.
    io.grpc.MethodDescriptor<byte[], byte[]> raw = KeyValueGrpc.getBatchMethod().toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
      java.util.Iterator<byte[]> it = io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          channels.channel(cluster.clientAddress(leader)), raw.toBuilder().setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING).build(),
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
      while (it.hasNext()) {
        it.next();
      }
    });
    // gRPC's own answer to a message its parser refuses (the service never sees it).
    assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isIn(Status.Code.INTERNAL, Status.Code.UNKNOWN);
    assertThat(cluster.isAlive(leader)).isTrue();
    // The node still serves streams: an item with no operation is answered as malformed.
    ResponseItem after = exchange(leader, List.of(RequestItem.newBuilder().setTag(9).build())).get(9L);
    assertThat(Status.fromCodeValue(after.getError().getCode()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aCallThatGaveUpBeforeItsStreamReachedAStoppedNodeIsNeverSent() throws Exception {
    String leader = cluster.awaitLeader(START);
    String stopped = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    cluster.pause(stopped); // SIGSTOP: the kernel still accepts the connection, nobody answers on it
    // The client's streams stay open while the node wakes: had the item stayed queued on its
    // stream, the node would receive it then and send it on to the leader.
    try (KvStreams streams = KvStreams.plaintext();
         RaftlabClient client = RaftlabClient.forNode(EndpointAddress.parse(cluster.clientAddress(stopped), "node"),
             ClientOptions.builder().callTimeout(Duration.ofMillis(500)).totalDeadline(Duration.ofMillis(500)).streams(streams).build())) {
      KvException e;
      try {
        e = assertThrows(KvException.class, () -> client.put("sent-to-a-stopped-node", "x"));
      } finally {
        cluster.resume(stopped);
      }
      assertThat(e.outcome()).as("%s", e).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
      Thread.sleep(2000);
      assertThat(channels.onLeader(cluster, START, kv -> kv.get(GetRequest.newBuilder().setKey("sent-to-a-stopped-node").build())).getFound())
          .as("a write reported as never sent").isFalse();
    }
  }

  private enum RawBytes implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
