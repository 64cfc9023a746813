package io.raftlab.chaos.bench;

import io.raftlab.client.ClientOptions;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.KvException;
import io.raftlab.client.RaftlabClient;
import java.util.List;
import java.util.Optional;

/**
 * raftlab under benchmark: each client is its own {@link RaftlabClient}, so its own write session
 * and its own connections, and finds the leader the way applications do (redirects, retries).
 */
public final class RaftlabKvSystem implements KvSystem {

  private final List<EndpointAddress> endpoints;
  private final ClientOptions options;

  public RaftlabKvSystem(List<EndpointAddress> endpoints, ClientOptions options) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: at least one host:port is required");
    }
    this.endpoints = List.copyOf(endpoints);
    this.options = options;
  }

  @Override
  public String name() {
    return "raftlab";
  }

  @Override
  public KvTarget open(int client) {
    RaftlabClient c = RaftlabClient.connect(endpoints, options);
    return new KvTarget() {
      @Override
      public void put(String key, String value) {
        c.put(key, value);
      }

      @Override
      public Optional<String> get(String key) {
        return c.get(key).value();
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
}
