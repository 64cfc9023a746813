package io.raftlab.chaos.adapter;

import io.raftlab.chaos.cluster.ClusterUnderTest;

/**
 * A Raft implementation the toolkit can run as a black box: how to start a cluster of it (every
 * node a process of its own, every peer link through the toolkit's network) and how to talk to it
 * as a client. raftlab's adapter is built in; others come from a spec file or a class of their own.
 */
public interface Implementation {

  /** A short name for reports and the command line, e.g. "raftlab" or "etcd". */
  String name();

  /** Starts a cluster and returns once every node is ready to serve. */
  ClusterUnderTest start(ClusterRequest request) throws Exception;

  /** A new client session against {@code cluster}, routed as {@code route} says. */
  KvClient client(ClusterUnderTest cluster, ClientRoute route);
}
