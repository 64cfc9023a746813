package io.raftlab.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.server.launch.LocalCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/** gRPC channels to a test cluster's nodes, one per address (a restarted node may come back on another port). */
final class ClusterChannels implements AutoCloseable {

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile String lastLeader;

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

  /**
   * Runs {@code call} against the current leader, again while leadership is moving (no leader,
   * NOT_LEADER, or a deadline passing while the old leader is deposed), up to {@code patience}.
   * Only for calls that are safe to repeat: reads, and writes whose session makes a retry the same
   * request (the store applies it at most once).
   */
  <T> T onLeader(LocalCluster cluster, Duration patience, Function<KeyValueGrpc.KeyValueBlockingStub, T> call) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      // The leader of the last call that succeeded is tried first: awaitLeader waits for a stable
      // leader, a poll that would cost every one of many calls in a row a good fraction of a second.
      String leader = lastLeader;
      if (leader == null || !cluster.isAlive(leader)) {
        leader = cluster.awaitLeader(patience);
      }
      try {
        T answer = call.apply(kv(cluster, leader).withDeadlineAfter(5, TimeUnit.SECONDS));
        lastLeader = leader;
        return answer;
      } catch (StatusRuntimeException e) {
        lastLeader = null;
        Status.Code code = e.getStatus().getCode();
        boolean leadershipMoved = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
            || (code == Status.Code.FAILED_PRECONDITION && String.valueOf(e.getStatus().getDescription()).startsWith("NOT_LEADER"));
        if (!leadershipMoved || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
