package io.raftlab.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key-value calls sent as items of one KeyValue.Batch stream per node instead of one unary RPC
 * each: the clients given this object ({@link ClientOptions.Builder#streams}) share its streams, so
 * their concurrent calls to a node travel together, many per message. Retries, redirects, sessions
 * and outcome classification are the same as for unary calls. It owns its channels: closing it
 * ends the streams and shuts the channels down; the clients' own {@code close} leaves them open.
 */
public final class KvStreams implements AutoCloseable {

  private final ChannelFactory channels;
  private final ConcurrentHashMap<EndpointAddress, ManagedChannel> open = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<EndpointAddress, KvStream> streams = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public KvStreams(ChannelFactory channels) {
    this.channels = Objects.requireNonNull(channels, "channels");
  }

  /** Plaintext channels over the default transport. */
  public static KvStreams plaintext() {
    return new KvStreams(ChannelFactory.plaintext());
  }

  /** The calls of one attempt to {@code endpoint}, over its live stream (opened if need be). */
  KvCalls calls(EndpointAddress endpoint, long timeoutNanos) {
    return stream(endpoint).calls(timeoutNanos);
  }

  private KvStream stream(EndpointAddress endpoint) {
    KvStream s = streams.get(endpoint);
    if (s != null && !s.failed()) {
      return s;
    }
    return streams.compute(endpoint, (e, old) -> {
      if (old != null && !old.failed()) {
        return old;
      }
      if (closed) {
        throw new IllegalStateException("KvStreams is closed");
      }
      ManagedChannel ch = open.computeIfAbsent(e, channels::open);
      if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
        // gRPC waits up to minutes between reconnects; a restarted node should be reachable now.
        ch.resetConnectBackoff();
      }
      return new KvStream(e, ch);
    });
  }

  @Override
  public void close() {
    closed = true;
    streams.values().forEach(s -> s.cancel("streams closed"));
    ChannelFactory.shutDown(open.values());
  }
}
