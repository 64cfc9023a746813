package io.raftlab.chaos.bench;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One benchmark client's connection to a key-value store. The load generator uses one instance per
 * client, from that client's thread only, one request at a time. Failures are thrown; the owning
 * {@link KvSystem} names their kind.
 */
public interface KvTarget extends AutoCloseable {

  /** Sets key to value; returns once the store has acknowledged the write. */
  void put(String key, String value) throws Exception;

  /** A linearizable read of key. */
  Optional<String> get(String key) throws Exception;

  /**
   * Whether {@link #putAsync} and {@link #getAsync} return without waiting for the store, so one
   * thread can keep many clients busy; the load generator then drives every client by callbacks
   * instead of a thread each.
   */
  default boolean async() {
    return false;
  }

  /** {@link #put} as a future (by default the blocking put, already done when it returns). */
  default CompletableFuture<Void> putAsync(String key, String value) {
    try {
      put(key, value);
      return CompletableFuture.completedFuture(null);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #get} as a future (by default the blocking get, already done when it returns). */
  default CompletableFuture<Optional<String>> getAsync(String key) {
    try {
      return CompletableFuture.completedFuture(get(key));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  void close();
}
