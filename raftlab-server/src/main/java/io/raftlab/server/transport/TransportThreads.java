package io.raftlab.server.transport;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The node's own network threads, for its servers and its channels to peers, at the highest Java
 * priority like the Raft loop's. On a machine shared with other nodes, compilers, collectors and
 * starting JVMs, a heartbeat must not wait behind them for a CPU: with short election timeouts a
 * few milliseconds of that is an election. The priority only takes effect where the JVM may set
 * it ({@code -XX:ThreadPriorityPolicy=1} as root on Linux; otherwise it is silently ignored).
 */
public final class TransportThreads implements AutoCloseable {

  private final boolean epoll = Epoll.isAvailable();
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  /** {@code threads}: how many network threads serve every connection of the node. */
  public TransportThreads(String nodeId, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: at least 1, got " + threads);
    }
    DefaultThreadFactory bossFactory = new DefaultThreadFactory("net-accept-" + nodeId, true, Thread.MAX_PRIORITY);
    DefaultThreadFactory workerFactory = new DefaultThreadFactory("net-" + nodeId, true, Thread.MAX_PRIORITY);
    boss = epoll ? new EpollEventLoopGroup(1, bossFactory) : new NioEventLoopGroup(1, bossFactory);
    workers = epoll ? new EpollEventLoopGroup(threads, workerFactory) : new NioEventLoopGroup(threads, workerFactory);
  }

  public NettyServerBuilder serve(NettyServerBuilder b) {
    return b.bossEventLoopGroup(boss).workerEventLoopGroup(workers)
        .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  public NettyChannelBuilder connect(NettyChannelBuilder b) {
    return b.eventLoopGroup(workers).channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
  }

  @Override
  public void close() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
