package io.raftlab.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's own network threads carry both its server and its peer channels, at the highest priority. */
class TransportThreadsTest {

  private final Set<String> receivedOn = ConcurrentHashMap.newKeySet();
  private final Set<Integer> priorities = ConcurrentHashMap.newKeySet();
  private TransportThreads threads;
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
    if (threads != null) {
      threads.close();
    }
  }

  @Test
  void peerMessagesTravelOnTheNodesOwnHighPriorityThreads() throws Exception {
    threads = new TransportThreads("n2", 2);
    server = threads.serve(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))).directExecutor()
        .addService(new RaftPeerGrpc.RaftPeerImplBase() {
          @Override
          public StreamObserver<RaftMessage> stream(StreamObserver<StreamClosed> responses) {
            return new StreamObserver<>() {
              @Override
              public void onNext(RaftMessage value) {
                receivedOn.add(Thread.currentThread().getName());
                priorities.add(Thread.currentThread().getPriority());
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
    link = new PeerLink("n2", "127.0.0.1:" + server.getPort(), new LongAdder(), threads::connect);
    link.send(MessageCodec.encode(Message.of(MessageType.HEARTBEAT, "n1", "n2", 1).build()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (receivedOn.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(receivedOn).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("net-n2-"));
    assertThat(priorities).containsExactly(Thread.MAX_PRIORITY);
  }

  @Test
  void aThreadCountBelowOneIsRefusedByName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TransportThreads("n1", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
  }
}
