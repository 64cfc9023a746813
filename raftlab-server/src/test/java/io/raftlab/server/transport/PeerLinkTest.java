package io.raftlab.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import io.raftlab.core.Entry;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One link against a real gRPC server on loopback: what is delivered, what is dropped, and why. */
class PeerLinkTest {

  private final AtomicInteger received = new AtomicInteger();
  private Server server;
  private PeerLink link;

  @AfterEach
  void stop() throws InterruptedException {
    if (link != null) {
      link.close();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** A peer that counts messages; if {@code reads} is false it never asks for one (a stuck peer). */
  private String startPeer(boolean reads) throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
        .addService(new RaftPeerGrpc.RaftPeerImplBase() {
          @Override
          public StreamObserver<RaftMessage> stream(StreamObserver<StreamClosed> responses) {
            if (!reads) {
              ((ServerCallStreamObserver<StreamClosed>) responses).disableAutoRequest();
            }
            return new StreamObserver<>() {
              @Override
              public void onNext(RaftMessage value) {
                received.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                responses.onCompleted();
              }
            };
          }
        }).build().start();
    return "127.0.0.1:" + server.getPort();
  }

  private static RaftMessage heartbeat(int i) {
    return MessageCodec.encode(Message.of(MessageType.HEARTBEAT, "n1", "n2", 1).commit(i).build());
  }

  private static RaftMessage append(int kib) {
    return MessageCodec.encode(Message.of(MessageType.APPEND, "n1", "n2", 1)
        .entries(List.of(Entry.normal(1, 1, new byte[kib * 1024]))).build());
  }

  @Test
  void messagesSentWhileANewStreamIsStillConnectingAreDeliveredNotDropped() throws Exception {
    String address = startPeer(true);
    LongAdder dropped = new LongAdder();
    link = new PeerLink("n2", address, dropped);
    // A candidate's vote requests go out on a stream opened that very moment.
    for (int i = 1; i <= 5; i++) {
      link.send(heartbeat(i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.get() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(received.get()).isEqualTo(5);
    assertThat(dropped.sum()).isZero();
  }

  @Test
  void aPeerThatDoesNotReadCostsAtMostTheAllowanceThenMessagesAreDropped() throws Exception {
    String address = startPeer(false);
    LongAdder dropped = new LongAdder();
    link = new PeerLink("n2", address, dropped);
    link.connect();
    RaftMessage big = append(16);
    int sent = 0;
    for (int i = 0; i < 1000; i++) { // 16 MiB offered to a peer that reads nothing
      link.send(big);
      sent++;
    }
    long accepted = sent - dropped.sum();
    assertThat(dropped.sum()).as("a stuck peer's messages are dropped once the allowance is used").isPositive();
    // The allowance (1 MiB) plus what the transport takes before it says "not ready" (flow-control
    // window and buffer, well under 1 MiB): far below the 16 MiB offered.
    assertThat(accepted * big.getSerializedSize()).isLessThan(2L * PeerLink.UNREADY_BYTES + (1 << 20));
    assertThat(received.get()).isZero();
  }
}
