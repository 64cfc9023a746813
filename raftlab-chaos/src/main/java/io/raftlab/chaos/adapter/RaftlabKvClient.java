package io.raftlab.chaos.adapter;

import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.client.ClientOptions;
import io.raftlab.client.CompareAndSetResult;
import io.raftlab.client.EndpointAddress;
import io.raftlab.client.GetResult;
import io.raftlab.client.KvException;
import io.raftlab.client.KvStreams;
import io.raftlab.client.RaftlabClient;
import io.raftlab.client.ResponseInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@link KvClient} over raftlab's own client library. The library already classifies its
 * failures (a write it cannot prove unapplied is UNKNOWN) and deduplicates retried writes by
 * session, so its retries are safe. A pinned route gets one attempt and no redirects. With
 * {@code batchStreams} the calls travel as items of this client's own Batch streams.
 */
final class RaftlabKvClient implements KvClient {

  private final RaftlabClient client;
  private final Map<String, String> nodeByAddress;
  private final String downNode;
  private final KvStreams streams;

  RaftlabKvClient(ClusterUnderTest cluster, ClientRoute route, boolean batchStreams) {
    List<EndpointAddress> endpoints = new ArrayList<>();
    Map<String, String> byAddress = new HashMap<>();
    for (String node : route.nodes()) {
      cluster.clientAddress(node).ifPresent(a -> {
        EndpointAddress e = EndpointAddress.parse(a, "client address of " + node);
        endpoints.add(e);
        byAddress.put(e.toString(), node);
      });
    }
    this.nodeByAddress = byAddress;
    this.downNode = route.nodes().get(0);
    if (endpoints.isEmpty()) {
      // Every chosen node is down: each call fails at once, as a refused connection would.
      this.client = null;
      this.streams = null;
      return;
    }
    this.streams = batchStreams ? KvStreams.plaintext() : null;
    ClientOptions.Builder opts = ClientOptions.builder().callTimeout(route.callTimeout()).streams(streams);
    if (route.followLeader()) {
      opts.totalDeadline(route.callTimeout().multipliedBy(3));
    } else {
      opts.totalDeadline(route.callTimeout()).maxAttempts(1).followRedirects(false);
    }
    this.client = route.followLeader() ? RaftlabClient.connect(endpoints, opts.build())
        : RaftlabClient.forNode(endpoints.get(0), opts.build());
  }

  @Override
  public OpResult read(String key) {
    return call(() -> {
      GetResult r = client.get(key);
      return OpResult.ok(r.value().orElse(null), node(r.info()));
    });
  }

  @Override
  public OpResult write(String key, String value) {
    return call(() -> OpResult.ok(value, node(client.put(key, value).info())));
  }

  @Override
  public OpResult cas(String key, String expected, String value) {
    return call(() -> {
      CompareAndSetResult r = client.compareAndSet(key, expected, value);
      return r.succeeded() ? OpResult.ok(value, node(r.info()))
          : OpResult.fail(r.current().orElse(null), node(r.info()), "compare failed");
    });
  }

  @Override
  public OpResult delete(String key) {
    return call(() -> OpResult.ok(null, node(client.delete(key).info())));
  }

  private OpResult call(Supplier<OpResult> op) {
    if (client == null) {
      return OpResult.fail(null, downNode, "node is down: no client address");
    }
    try {
      return op.get();
    } catch (KvException e) {
      String node = e.lastAttempt().map(a -> nodeByAddress.getOrDefault(a.endpoint().toString(), a.endpoint().toString())).orElse(null);
      String why = e.reason() + (e.lastAttempt().isPresent() ? ": " + e.lastAttempt().get() : "");
      return e.outcome() == KvException.Outcome.UNKNOWN ? OpResult.unknown(node, why) : OpResult.fail(null, node, why);
    }
  }

  private String node(ResponseInfo info) {
    return info.nodeId();
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    if (streams != null) {
      streams.close();
    }
  }
}
