package io.raftlab.server.transport;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftlab.core.Message;
import io.raftlab.server.config.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/** Outgoing messages to every peer, one stream each. {@link #send} may be called from any thread. */
public final class PeerTransport implements AutoCloseable {

  private final Map<String, PeerLink> links = new HashMap<>();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder sent = new LongAdder();
  // Opens and reopens the links in the background, so no sender waits for a connection (see PeerLink).
  private final ScheduledExecutorService connector;

  /** {@code channels}: how each peer channel is built (its network threads). */
  public PeerTransport(String selfId, List<Member> members, UnaryOperator<NettyChannelBuilder> channels) {
    connector = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "peer-connect-" + selfId);
      t.setDaemon(true);
      return t;
    });
    for (Member m : members) {
      if (!m.id().equals(selfId)) {
        links.put(m.id(), new PeerLink(m.id(), m.peerAddress(), dropped, channels, connector));
      }
    }
  }

  /** Opens a stream to every peer, so a node's first message to a peer does not wait for a connection. */
  public void connectAll() {
    links.values().forEach(PeerLink::connect);
  }

  public void send(Message m) {
    PeerLink link = links.get(m.to());
    if (link == null) {
      throw new IllegalArgumentException("no link to '" + m.to() + "'");
    }
    sent.increment();
    link.send(MessageCodec.encode(m));
  }

  public long droppedCount() {
    return dropped.sum();
  }

  public long sentCount() {
    return sent.sum();
  }

  @Override
  public void close() {
    links.values().forEach(PeerLink::close);
    // Now: shutdown() would still run the queued retries and try timeouts, up to a second away.
    connector.shutdownNow();
    try {
      connector.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
