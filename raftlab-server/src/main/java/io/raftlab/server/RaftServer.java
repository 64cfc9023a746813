package io.raftlab.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftlab.core.Message;
import io.raftlab.core.RaftNode;
import io.raftlab.core.Ready;
import io.raftlab.server.config.ServerConfig;
import io.raftlab.server.kv.KvStateMachine;
import io.raftlab.server.loop.RaftLoop;
import io.raftlab.server.metrics.NodeMetrics;
import io.raftlab.server.service.AdminService;
import io.raftlab.server.service.KeyValueService;
import io.raftlab.server.service.LeaderDirectory;
import io.raftlab.server.service.Trailers;
import io.raftlab.server.transport.PeerService;
import io.raftlab.server.transport.PeerTransport;
import io.raftlab.server.transport.PortsFile;
import io.raftlab.server.transport.TransportThreads;
import io.raftlab.storage.NodeStorage;
import io.raftlab.storage.RecoveredState;
import io.raftlab.storage.StorageOptions;
import io.raftlab.storage.fsync.FsyncPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raftlab node: storage, the core on its event loop, peer and client gRPC servers, metrics.
 * {@link #start} recovers from the data directory (a torn tail is cut, corruption stops it),
 * binds its ports (0 picks free ones; a restart prefers the ports it had), writes them to
 * {@code ports.json} in the data directory, and starts ticking.
 */
public final class RaftServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RaftServer.class);

  private final ServerConfig config;
  private NodeStorage storage;
  private NodeMetrics metrics;
  private TransportThreads threads;
  private PeerTransport transport;
  private RaftLoop loop;
  private Server peerServer;
  private Server clientServer;
  private LeaderDirectory leaders;
  private String peerAddress;
  private String clientAddress;
  private String metricsAddress;

  public RaftServer(ServerConfig config) {
    this.config = config;
  }

  /** Starts the node; {@code fatal} is called (once) if persistence or the loop fails, after which the node must stop. */
  public RaftServer start(Consumer<Throwable> fatal) throws IOException {
    Files.createDirectories(config.dataDir());
    metrics = new NodeMetrics(config.id());
    StorageOptions opts = StorageOptions.defaults()
        .withFsyncPolicy(config.fsyncAlways() ? FsyncPolicy.ALWAYS : FsyncPolicy.NEVER)
        .withSegmentBytes(config.segmentBytes())
        .withFsyncListener(metrics::onFsync);
    storage = NodeStorage.open(config.dataDir(), opts);
    RecoveredState rec = storage.recovered();
    SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    RaftNode node = rec.isBlank()
        ? RaftNode.create(config.coreConfig(), random)
        : RaftNode.restart(config.coreConfig(), random, rec.hardState(), rec.log());
    log.info("{}: recovered term {} commit {} with {} log entries", config.id(), rec.hardState().term(), rec.hardState().commit(), rec.log().size());

    threads = new TransportThreads(config.id(), config.networkThreads());
    transport = new PeerTransport(config.id(), config.members(), threads::connect);
    KvStateMachine sm = new KvStateMachine(config.sessionTtlMillis());
    loop = new RaftLoop(node, sm, new RaftLoop.ReadySink() {
      @Override
      public void persist(Ready ready) throws IOException {
        storage.persist(ready);
      }

      @Override
      public void send(Message message) {
        transport.send(message);
      }
    }, config.tickMillis(), config.requestTimeoutMillis(), fatal);
    metrics.bind(loop, transport::droppedCount, transport::sentCount);
    leaders = new LeaderDirectory(config);

    String previousPeer = PortsFile.read(config.dataDir().resolve(PortsFile.FILE_NAME), "peer");
    String previousClient = PortsFile.read(config.dataDir().resolve(PortsFile.FILE_NAME), "client");
    PeerService peers = new PeerService(loop::deliver, reason -> {
      metrics.refusedPeerMessage();
      log.warn("{}: refused a malformed peer message: {}", config.id(), reason);
    });
    peerServer = bind(config.peerPort(), previousPeer, b -> b.addService(peers));
    clientServer = bind(config.clientPort(), previousClient, b -> b
        .addService(ServerInterceptors.intercept(new KeyValueService(config, loop, leaders, metrics), Trailers.forwardedMarker()))
        .addService(new AdminService(config, loop, leaders)));
    peerAddress = config.listenHost() + ":" + peerServer.getPort();
    clientAddress = config.listenHost() + ":" + clientServer.getPort();
    if (config.metricsPort() >= 0) {
      metricsAddress = config.listenHost() + ":" + metrics.serve(config.listenHost(), config.metricsPort());
    }
    PortsFile.write(config.dataDir(), peerAddress, clientAddress, metricsAddress, ProcessHandle.current().pid());

    transport.connectAll(); // so a node's first messages to each peer need not wait for a connection
    loop.start();
    return this;
  }

  private interface ServiceBinder {
    NettyServerBuilder apply(NettyServerBuilder b);
  }

  /**
   * Binds the configured port; with port 0, tries the port of the previous run first so addresses stay stable.
   * Handlers run on the transport's own threads (direct executor): none of them blocks, each only hands its
   * request to the Raft loop, so a hop through a separate executor would cost a thread wake-up per call.
   */
  private Server bind(int port, String previous, ServiceBinder services) throws IOException {
    if (port == 0 && previous != null) {
      int prev = Integer.parseInt(previous.substring(previous.lastIndexOf(':') + 1));
      try {
        return services.apply(listener(prev)).build().start();
      } catch (IOException e) {
        log.info("{}: previous port {} is taken; picking a new one", config.id(), prev);
      }
    }
    try {
      return services.apply(listener(port)).build().start();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + config.listenHost() + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private NettyServerBuilder listener(int port) {
    return threads.serve(NettyServerBuilder.forAddress(new InetSocketAddress(config.listenHost(), port))).directExecutor();
  }

  public String peerAddress() {
    return peerAddress;
  }

  public String clientAddress() {
    return clientAddress;
  }

  public String metricsAddress() {
    return metricsAddress;
  }

  public RaftLoop loop() {
    return loop;
  }

  @Override
  public void close() {
    if (clientServer != null) {
      clientServer.shutdownNow();
    }
    if (peerServer != null) {
      peerServer.shutdownNow();
    }
    if (loop != null) {
      loop.close();
    }
    if (transport != null) {
      transport.close();
    }
    if (threads != null) {
      threads.close();
    }
    if (leaders != null) {
      leaders.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (storage != null) {
      try {
        storage.close();
      } catch (IOException e) {
        log.warn("{}: closing storage: {}", config.id(), e.getMessage());
      }
    }
  }
}
