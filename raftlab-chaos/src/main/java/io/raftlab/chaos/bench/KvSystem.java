package io.raftlab.chaos.bench;

/**
 * A key-value store under benchmark: opens one {@link KvTarget} per client and names the kind of
 * each failure. Another store (etcd through jetcd, for instance) plugs in by implementing this.
 */
public interface KvSystem extends AutoCloseable {

  /** A short name for reports, e.g. "raftlab". */
  String name();

  /** A fresh connection for client number {@code client} (0-based). */
  KvTarget open(int client);

  /** A stable, low-cardinality name for a failure, used to count errors by kind. */
  String errorKind(Throwable failure);

  @Override
  default void close() {}
}
