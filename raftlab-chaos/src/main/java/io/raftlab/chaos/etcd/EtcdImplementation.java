package io.raftlab.chaos.etcd;

import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.cluster.ClusterUnderTest;

/**
 * etcd as a black box: real {@code etcd} processes, one per network namespace (needs root, the
 * {@code ip} and {@code iptables} tools and etcd itself), clients through jetcd. Settings:
 * {@link EtcdSettings#NAMES}.
 */
public final class EtcdImplementation implements Implementation {

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public EtcdCluster start(ClusterRequest request) throws Exception {
    return EtcdCluster.start(request);
  }

  @Override
  public KvClient client(ClusterUnderTest cluster, ClientRoute route) {
    if (!(cluster instanceof EtcdCluster etcd)) {
      throw new IllegalArgumentException("cluster: an etcd client needs an EtcdCluster, got " + cluster.getClass().getSimpleName());
    }
    return new EtcdKvClient(etcd, route);
  }
}
