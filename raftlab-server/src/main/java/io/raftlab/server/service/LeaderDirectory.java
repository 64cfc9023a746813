package io.raftlab.server.service;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftlab.server.config.Member;
import io.raftlab.server.config.ServerConfig;
import io.raftlab.server.transport.PortsFile;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Client addresses of the members, and channels to them for forwarding requests to the leader. */
public final class LeaderDirectory implements AutoCloseable {

  private final ServerConfig config;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public LeaderDirectory(ServerConfig config) {
    this.config = config;
  }

  /** The member's client address (host:port), or null if unknown or not yet resolvable. */
  public String clientAddress(String id) {
    if (id == null) {
      return null;
    }
    Member m = config.member(id);
    return m == null ? null : PortsFile.resolve(m.clientAddress(), "client");
  }

  /** Where this node sends requests it forwards to member {@code id}. */
  String forwardAddress(String id) {
    Member m = id == null ? null : config.member(id);
    return m == null ? null : PortsFile.resolve(m.forwardAddress(), "client");
  }

  ManagedChannel channelTo(String id) {
    String address = forwardAddress(id);
    if (address == null) {
      return null;
    }
    return channels.computeIfAbsent(address, a -> {
      int colon = a.lastIndexOf(':');
      return NettyChannelBuilder.forAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))).usePlaintext().directExecutor().build();
    });
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
