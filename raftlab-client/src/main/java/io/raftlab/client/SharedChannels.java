package io.raftlab.client;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One channel per endpoint, shared by every client opened with this factory: many sessions over
 * few connections, as a server application with many users would run. The clients' own
 * {@code close} leaves the shared channels open; closing this factory shuts them down.
 */
public final class SharedChannels implements ChannelFactory, AutoCloseable {

  private final ChannelFactory underlying;
  private final ConcurrentHashMap<EndpointAddress, ManagedChannel> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SharedChannels(ChannelFactory underlying) {
    this.underlying = Objects.requireNonNull(underlying, "underlying");
  }

  /** Plaintext channels over the default transport. */
  public static SharedChannels plaintext() {
    return new SharedChannels(ChannelFactory.plaintext());
  }

  @Override
  public ManagedChannel open(EndpointAddress endpoint) {
    if (closed) {
      throw new IllegalStateException("shared channels are closed");
    }
    return new Borrowed(open.computeIfAbsent(endpoint, underlying::open));
  }

  @Override
  public void close() {
    closed = true;
    open.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel ch : open.values()) {
      try {
        ch.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A client's view of a shared channel: calls go through, shutting it down is the owner's job. */
  private static final class Borrowed extends ManagedChannel {
    private final ManagedChannel shared;
    private volatile boolean released;

    Borrowed(ManagedChannel shared) {
      this.shared = shared;
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return shared.newCall(method, options);
    }

    @Override
    public String authority() {
      return shared.authority();
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
      return shared.getState(requestConnection);
    }

    @Override
    public void resetConnectBackoff() {
      shared.resetConnectBackoff();
    }

    @Override
    public ManagedChannel shutdown() {
      released = true;
      return this;
    }

    @Override
    public ManagedChannel shutdownNow() {
      released = true;
      return this;
    }

    @Override
    public boolean isShutdown() {
      return released || shared.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return isShutdown();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
