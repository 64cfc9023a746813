package io.raftlab.server.transport;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real gRPC peer on loopback that counts the messages it receives and notes the threads and
 * priorities they arrive on; one that does not read never asks for a message (a stuck peer).
 */
final class TestPeer implements AutoCloseable {

  final AtomicInteger received = new AtomicInteger();
  final Set<String> threadNames = ConcurrentHashMap.newKeySet();
  final Set<Integer> threadPriorities = ConcurrentHashMap.newKeySet();
  private final Server server;

  TestPeer(boolean reads, UnaryOperator<NettyServerBuilder> builder) throws Exception {
    this(reads, builder, 0);
  }

  /** On {@code port} (0: one the OS picks), e.g. the port of a peer that was stopped, to play its restart. */
  TestPeer(boolean reads, UnaryOperator<NettyServerBuilder> builder, int port) throws Exception {
    server = builder.apply(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))).directExecutor()
        .addService(new RaftPeerGrpc.RaftPeerImplBase() {
          @Override
          public StreamObserver<RaftMessage> stream(StreamObserver<StreamClosed> responses) {
            if (!reads) {
              ((ServerCallStreamObserver<StreamClosed>) responses).disableAutoRequest();
            }
            return new StreamObserver<>() {
              @Override
              public void onNext(RaftMessage value) {
                threadNames.add(Thread.currentThread().getName());
                threadPriorities.add(Thread.currentThread().getPriority());
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
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Waits up to 10 s for {@code count} messages; true if they came. */
  boolean awaitReceived(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return received.get() >= count;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
