package io.raftlab.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.server.launch.LocalCluster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** gRPC channels to a test cluster's nodes, one per address (a restarted node may come back on another port). */
final class ClusterChannels implements AutoCloseable {

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  KeyValueGrpc.KeyValueBlockingStub kv(LocalCluster cluster, String id) {
    return KeyValueGrpc.newBlockingStub(channel(cluster.clientAddress(id)));
  }

  AdminGrpc.AdminBlockingStub admin(LocalCluster cluster, String id) {
    return AdminGrpc.newBlockingStub(channel(cluster.clientAddress(id)));
  }

  ManagedChannel channel(String address) {
    return channels.computeIfAbsent(address, a -> {
      int colon = a.lastIndexOf(':');
      return NettyChannelBuilder.forAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))).usePlaintext().build();
    });
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
