package io.raftlab.chaos.bench;

import io.raftlab.client.ClientOptions;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.GetResult;
import io.raftlab.client.KvException;
import io.raftlab.client.KvStreams;
import io.raftlab.client.RaftlabClient;
import io.raftlab.client.SharedChannels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * raftlab under benchmark: each client is its own {@link RaftlabClient}, so its own write session,
 * and finds the leader the way applications do (redirects, retries). Clients share
 * {@code connections} sets of channels (client i uses set i mod connections), as the etcd side
 * shares its jetcd clients, so both systems see the same number of connections. With
 * {@code streams}, each set's clients send their calls as items of one Batch stream per node
 * ({@link KvStreams}) instead of one unary RPC each.
 */
public final class RaftlabKvSystem implements KvSystem {

  private final List<EndpointAddress> endpoints;
  private final ClientOptions options;
  private final List<SharedChannels> connections = new ArrayList<>();
  private final List<KvStreams> streams = new ArrayList<>();

  /**
   * @param connections how many sets of channels (one channel per endpoint each) to share, at least 1
   * @param batchStreams whether calls travel as items of Batch streams rather than unary RPCs
   */
  public RaftlabKvSystem(List<EndpointAddress> endpoints, ClientOptions options, int connections, boolean batchStreams) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: at least one host:port is required");
    }
    if (connections < 1) {
      throw new IllegalArgumentException("connections: at least 1, got " + connections);
    }
    this.endpoints = List.copyOf(endpoints);
    this.options = options;
    for (int i = 0; i < connections; i++) {
      this.connections.add(new SharedChannels(options.channelFactory()));
      if (batchStreams) {
        this.streams.add(new KvStreams(options.channelFactory()));
      }
    }
  }

  @Override
  public String name() {
    return "raftlab";
  }

  @Override
  public KvTarget open(int client) {
    int set = Math.floorMod(client, connections.size());
    RaftlabClient c = RaftlabClient.connect(endpoints, options.toBuilder().channelFactory(connections.get(set))
        .streams(streams.isEmpty() ? null : streams.get(set)).build());
    return new KvTarget() {
      @Override
      public void put(String key, String value) {
        c.put(key, value, false); // as etcd's put without prev_kv
      }

      @Override
      public Optional<String> get(String key) {
        return c.get(key).value();
      }

      @Override
      public boolean async() {
        return true;
      }

      @Override
      public CompletableFuture<Void> putAsync(String key, String value) {
        return c.putAsync(key, value, false).thenApply(r -> null);
      }

      @Override
      public CompletableFuture<Optional<String>> getAsync(String key) {
        return c.getAsync(key).thenApply(GetResult::value);
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  /** KvException: its reason and the kind of its last attempt, e.g. "DEADLINE_EXHAUSTED/TIMEOUT". */
  @Override
  public String errorKind(Throwable failure) {
    if (failure instanceof KvException e) {
      return e.reason() + e.lastAttempt().map(a -> "/" + a.kind()).orElse("");
    }
    return failure.getClass().getSimpleName();
  }

  @Override
  public void close() {
    streams.forEach(KvStreams::close);
    connections.forEach(SharedChannels::close);
  }
}
