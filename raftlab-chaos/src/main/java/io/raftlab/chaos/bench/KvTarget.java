package io.raftlab.chaos.bench;

import java.util.Optional;

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

  @Override
  void close();
}
