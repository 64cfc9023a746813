package io.raftlab.server.transport;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream to one peer. Sent to from two threads (the one handling the Ready in flight, and the
 * loop thread sending heartbeats meanwhile), so its methods are synchronized; they rarely contend. While the stream is broken, messages are dropped: Raft's own retries (heartbeats,
 * probes, election timeouts) recover. While it is not ready (still connecting, or the peer does
 * not keep up) up to {@link #UNREADY_BYTES} are handed to gRPC to buffer, then messages are
 * dropped, so a paused or blackholed peer costs bounded memory and looks to the core like what it
 * is, a slow or silent peer. Without that allowance the first messages to a peer a node never
 * talked to (a candidate's vote requests to fellow followers) would be dropped while the new
 * stream connects, and the election would wait a whole timeout to retry.
 */
final class PeerLink {

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
  private static final long RECONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long UNREADY_BYTES = 1 << 20;

  private final String peerId;
  private final String address;
  private final LongAdder dropped;
  private final UnaryOperator<NettyChannelBuilder> channels;
  private String target;
  private ManagedChannel channel;
  private ClientCallStreamObserver<RaftMessage> stream;
  private volatile boolean broken = true;
  private long retryAtNanos;
  private long bytesWhileNotReady;

  /** {@code channels}: how the link's channel is built (its network threads). */
  PeerLink(String peerId, String address, LongAdder dropped, UnaryOperator<NettyChannelBuilder> channels) {
    this.peerId = peerId;
    this.address = address;
    this.dropped = dropped;
    this.channels = channels;
  }

  synchronized void send(RaftMessage m) {
    if (broken && !reopen()) {
      dropped.increment();
      return;
    }
    // Flow control: a peer that does not read (paused, blackholed) must not grow our heap beyond
    // the allowance; a stream that is ready again gets a fresh one.
    if (stream.isReady()) {
      bytesWhileNotReady = 0;
    } else {
      long size = m.getSerializedSize();
      if (bytesWhileNotReady + size > UNREADY_BYTES) {
        dropped.increment();
        return;
      }
      bytesWhileNotReady += size;
    }
    stream.onNext(m);
  }

  /** Opens the stream now (if it is not open), so the first message does not wait for a connection. */
  synchronized void connect() {
    if (broken) {
      reopen();
    }
  }

  private boolean reopen() {
    long now = System.nanoTime();
    if (now < retryAtNanos) {
      return false;
    }
    retryAtNanos = now + RECONNECT_NANOS;
    String resolved = PortsFile.resolve(address, "peer");
    if (resolved == null) {
      return false;
    }
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // the old stream is already dead
      }
      stream = null;
    }
    if (!resolved.equals(target) || channel == null) {
      if (channel != null) {
        channel.shutdownNow();
      }
      int colon = resolved.lastIndexOf(':');
      channel = channels.apply(NettyChannelBuilder.forAddress(resolved.substring(0, colon), Integer.parseInt(resolved.substring(colon + 1))))
          .usePlaintext()
          .directExecutor() // the only callbacks mark the stream broken
          .build();
      target = resolved;
    } else {
      // The peer was unreachable (killed, paused, partitioned) and the channel may be waiting out
      // an exponential connect backoff of up to two minutes: try again now instead.
      channel.resetConnectBackoff();
    }
    broken = false;
    bytesWhileNotReady = 0;
    stream = (ClientCallStreamObserver<RaftMessage>) RaftPeerGrpc.newStub(channel).stream(new ClientResponseObserver<RaftMessage, StreamClosed>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<RaftMessage> requestStream) {}

      @Override
      public void onNext(StreamClosed value) {}

      @Override
      public void onError(Throwable t) {
        if (!broken) {
          log.debug("stream to {} at {} failed: {}", peerId, target, t.toString());
        }
        broken = true;
      }

      @Override
      public void onCompleted() {
        broken = true;
      }
    });
    return true;
  }

  synchronized void close() {
    broken = true;
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
    if (channel != null) {
      channel.shutdownNow();
    }
  }
}
