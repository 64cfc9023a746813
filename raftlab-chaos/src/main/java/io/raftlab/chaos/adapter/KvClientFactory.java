package io.raftlab.chaos.adapter;

import io.raftlab.chaos.cluster.ClusterUnderTest;

/**
 * The small Java part of an adapter for an implementation that does not speak raftlab's client
 * API: named by class in a spec file's {@code client:} key, with a public no-argument constructor.
 */
public interface KvClientFactory {
  KvClient open(ClusterUnderTest cluster, ClientRoute route);
}
