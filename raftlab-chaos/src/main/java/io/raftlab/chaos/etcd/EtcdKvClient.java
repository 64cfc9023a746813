package io.raftlab.chaos.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.OpResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link KvClient} over jetcd. jetcd's own retries are off ({@code retryMaxAttempts(0)}), so a
 * request is sent at most once, and {@code waitForReady(false)}, so a member that refuses
 * connections fails the call at once. Each call waits at most the route's call timeout; an
 * unanswered write is INFO (it may still apply), a refused connection or an error etcd returns
 * before proposing ("no leader", ...) is FAIL. A pinned route talks to its one member; a standard
 * route spreads calls over all its members (etcd forwards proposals to the leader itself).
 */
final class EtcdKvClient implements KvClient {

  private final EtcdCluster cluster;
  private final ClientRoute route;
  private final Client client;
  private final KV kv;

  EtcdKvClient(EtcdCluster cluster, ClientRoute route) {
    this.cluster = cluster;
    this.route = route;
    List<String> endpoints = new ArrayList<>();
    for (String n : route.followLeader() ? route.nodes() : route.nodes().subList(0, 1)) {
      endpoints.add(cluster.clientUrl(n));
    }
    this.client = builder(endpoints, route.callTimeout()).build();
    this.kv = client.getKVClient();
  }

  /** jetcd as the toolkit wants it: no retries, fail fast on refused connections. */
  static io.etcd.jetcd.ClientBuilder builder(List<String> endpoints, Duration callTimeout) {
    return Client.builder()
        .endpoints(endpoints.toArray(String[]::new))
        .retryMaxAttempts(0)
        .waitForReady(false)
        .connectTimeout(callTimeout)
        .keepaliveTime(Duration.ofSeconds(5))
        .keepaliveTimeout(Duration.ofSeconds(3));
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public OpResult read(String key) {
    return call(false, () -> kv.get(bytes(key)), r -> OpResult.ok(value(r), node(r.getHeader())));
  }

  @Override
  public OpResult write(String key, String value) {
    return call(true, () -> kv.put(bytes(key), bytes(value)), r -> OpResult.ok(value, node(r.getHeader())));
  }

  /** One transaction: if the value (or, for absent, the version 0) matches, put; else read the current value. */
  @Override
  public OpResult cas(String key, String expected, String value) {
    ByteSequence k = bytes(key);
    Cmp cmp = expected == null ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)) : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(expected)));
    return call(true, () -> kv.txn().If(cmp).Then(Op.put(k, bytes(value), PutOption.DEFAULT)).Else(Op.get(k, GetOption.DEFAULT)).commit(),
        (TxnResponse r) -> {
          if (r.isSucceeded()) {
            return OpResult.ok(value, node(r.getHeader()));
          }
          String current = r.getGetResponses().isEmpty() ? null : value(r.getGetResponses().get(0));
          return OpResult.fail(current, node(r.getHeader()), "compare failed");
        });
  }

  @Override
  public OpResult delete(String key) {
    return call(true, () -> kv.delete(bytes(key)), r -> OpResult.ok(null, node(r.getHeader())));
  }

  private static String value(GetResponse r) {
    return r.getKvs().isEmpty() ? null : r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  private <T> OpResult call(boolean write, Supplier<CompletableFuture<T>> send, Function<T, OpResult> ok) {
    CompletableFuture<T> f;
    try {
      f = send.get();
    } catch (RuntimeException e) {
      return OpResult.fail(null, triedNode(), "not sent: " + EtcdOutcomes.describe(e));
    }
    try {
      return ok.apply(f.get(route.callTimeout().toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      f.cancel(true);
      return OpResult.unknown(triedNode(), "no answer within " + route.callTimeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (!write || EtcdOutcomes.surelyNotApplied(cause)) {
        return OpResult.fail(null, triedNode(), EtcdOutcomes.describe(cause));
      }
      return OpResult.unknown(triedNode(), EtcdOutcomes.describe(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      return OpResult.unknown(triedNode(), "interrupted");
    }
  }

  /** The member that answered, from the response header's member id. */
  private String node(Response.Header h) {
    return cluster.nodeOfMember(h.getMemberId()).orElse(triedNode());
  }

  /** The member a failed call went to: known for a pinned route only. */
  private String triedNode() {
    return route.followLeader() && route.nodes().size() > 1 ? null : route.nodes().get(0);
  }

  @Override
  public void close() {
    client.close();
  }
}
