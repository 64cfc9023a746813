package io.raftlab.chaos.adapter;

/**
 * One client session of the store under test, used from one thread, one operation at a time.
 * Operations never throw for the store's failures: they classify them into an {@link OpResult}.
 * A write the client library retried on its own (and so may have applied twice) must end as
 * {@code INFO} unless the store deduplicates it.
 */
public interface KvClient extends AutoCloseable {

  /** A linearizable read; {@code OK} with value null means the key is absent. */
  OpResult read(String key);

  OpResult write(String key, String value);

  /** Sets {@code key} to {@code value} if it holds {@code expected} (null: if absent). A mismatch is {@code FAIL}. */
  OpResult cas(String key, String expected, String value);

  OpResult delete(String key);

  @Override
  void close();
}
