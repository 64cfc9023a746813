package io.raftlab.chaos.cluster;

import io.raftlab.chaos.net.NetworkFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A running cluster of some implementation, as the chaos toolkit drives it: node processes it
 * can kill (SIGKILL, data kept), restart, pause (SIGSTOP) and resume, the network between them,
 * and where its clients connect.
 */
public interface ClusterUnderTest extends AutoCloseable {

  List<String> nodes();

  void kill(String node) throws Exception;

  void restart(String node) throws Exception;

  void pause(String node) throws Exception;

  void resume(String node) throws Exception;

  boolean isRunning(String node);

  NetworkFaults network();

  /** The client address (host:port) of {@code node}, or empty while it has none. */
  Optional<String> clientAddress(String node);

  /** The leader as the nodes report it through inspection, if the implementation has inspection. */
  Optional<String> leader(Duration timeout);

  /**
   * When {@code node} last became leader, by its own clock, if it is leader and the implementation
   * tells (raftlab: GetState; etcd: its log). Empty otherwise. Measurements use it to time an
   * election without the delay of polling for it.
   */
  default Optional<Instant> leaderSince(String node) {
    return Optional.empty();
  }

  /**
   * True when every node answers raftlab's admin API (GetState, GetLog) at its client address, so
   * the invariant monitor can watch it from inside.
   */
  default boolean hasRaftlabInspection() {
    return false;
  }

  @Override
  void close();
}
