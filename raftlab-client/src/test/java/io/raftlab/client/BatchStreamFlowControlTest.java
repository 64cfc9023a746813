package io.raftlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.kv.BatchRequest;
import io.raftlab.api.kv.BatchResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.RequestItem;
import io.raftlab.api.kv.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Batch stream's handler (served here by the in-process test cluster, with the server's own
 * {@code BatchStreamHandler}) reads a client's next message only while its answers can leave.
 */
class BatchStreamFlowControlTest {

  private final FakeKvCluster cluster = new FakeKvCluster();
  private ManagedChannel channel;

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.shutdownNow();
    }
    cluster.close();
  }

  @Test
  void aClientThatDoesNotReadItsAnswersIsNotReadFromUntilItDoes() throws Exception {
    cluster.start("n1").setLeader("n1");
    channel = FakeKvCluster.inProcessChannels().open(cluster.endpoint("n1"));
    AtomicReference<ClientCallStreamObserver<BatchRequest>> call = new AtomicReference<>();
    AtomicInteger answered = new AtomicInteger();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    StreamObserver<BatchRequest> requests = KeyValueGrpc.newStub(channel).batch(new ClientResponseObserver<BatchRequest, BatchResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<BatchRequest> c) {
        c.disableAutoRequestWithInitial(0); // reads no answers until told to
        call.set(c);
      }

      @Override
      public void onNext(BatchResponse r) {
        answered.addAndGet(r.getItemsCount());
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
    for (int m = 0; m < 50; m++) {
      BatchRequest.Builder b = BatchRequest.newBuilder();
      for (int i = 0; i < 10; i++) {
        String client = "c" + m + "-" + i;
        b.addItems(RequestItem.newBuilder().setTag(m * 10L + i).setPut(PutRequest.newBuilder()
            .setSession(Session.newBuilder().setClientId(client).setSequence(1)).setKey(client).setValue("v")));
      }
      requests.onNext(b.build());
    }
    Thread.sleep(300);
    int readWhileIgnored = cluster.received().size();

    call.get().request(Integer.MAX_VALUE);
    requests.onCompleted();
    ended.get(10, TimeUnit.SECONDS);

    assertThat(readWhileIgnored).as("items the node took while its answers could not leave").isLessThanOrEqualTo(20);
    assertThat(answered.get()).isEqualTo(500);
    assertThat(cluster.store()).hasSize(500);
  }
}
