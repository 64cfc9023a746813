package io.raftlab.chaos.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.EtcdException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * etcd under benchmark through jetcd. Benchmark clients share {@code connections} jetcd clients
 * (client i uses connection i mod connections), as etcd's own benchmark tool shares its
 * connections among many clients; each request waits at most {@code callTimeout}. jetcd's retries
 * are off, so a count of errors is a count of failed requests.
 */
public final class EtcdKvSystem implements KvSystem {

  private final List<Client> clients = new ArrayList<>();
  private final Duration callTimeout;

  /**
   * @param endpoints   client URLs, e.g. {@code http://10.200.3.2:2379}
   * @param connections how many jetcd clients (each with its own gRPC channels) to share, at least 1
   */
  public EtcdKvSystem(List<String> endpoints, int connections, Duration callTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: at least one etcd client URL is required");
    }
    if (connections < 1) {
      throw new IllegalArgumentException("connections: at least 1, got " + connections);
    }
    this.callTimeout = callTimeout;
    for (int i = 0; i < connections; i++) {
      clients.add(Client.builder().endpoints(endpoints.toArray(String[]::new)).retryMaxAttempts(0).waitForReady(false).build());
    }
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public KvTarget open(int client) {
    KV kv = clients.get(client % clients.size()).getKVClient();
    long timeoutNanos = callTimeout.toNanos();
    return new KvTarget() {
      @Override
      public void put(String key, String value) throws Exception {
        await(kv.put(bytes(key), bytes(value)), timeoutNanos);
      }

      @Override
      public Optional<String> get(String key) throws Exception {
        return value(await(kv.get(bytes(key)), timeoutNanos));
      }

      @Override
      public boolean async() {
        return true;
      }

      @Override
      public java.util.concurrent.CompletableFuture<Void> putAsync(String key, String value) {
        return bounded(kv.put(bytes(key), bytes(value)), timeoutNanos).thenApply(r -> null);
      }

      @Override
      public java.util.concurrent.CompletableFuture<Optional<String>> getAsync(String key) {
        return bounded(kv.get(bytes(key)), timeoutNanos).thenApply(EtcdKvSystem::value);
      }

      @Override
      public void close() {
        // the shared connections close with the system
      }
    };
  }

  private static Optional<String> value(io.etcd.jetcd.kv.GetResponse r) {
    return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8));
  }

  /** Fails with a TimeoutException after the call timeout, as {@link #await} does. */
  private static <T> java.util.concurrent.CompletableFuture<T> bounded(java.util.concurrent.CompletableFuture<T> f, long timeoutNanos) {
    return f.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f, long timeoutNanos) throws Exception {
    try {
      return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw e;
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  /** "TIMEOUT", "ConnectException", or etcd's error code and message, e.g. "UNAVAILABLE/no leader". */
  @Override
  public String errorKind(Throwable failure) {
    if (failure instanceof java.util.concurrent.TimeoutException) {
      return "TIMEOUT";
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "ConnectException";
      }
    }
    if (failure instanceof EtcdException e) {
      String m = String.valueOf(e.getMessage());
      int at = m.indexOf("etcdserver: ");
      return e.getErrorCode() + (at >= 0 ? "/" + m.substring(at + "etcdserver: ".length()) : "");
    }
    return failure.getClass().getSimpleName();
  }

  @Override
  public void close() {
    for (Client c : clients) {
      c.close();
    }
  }
}
