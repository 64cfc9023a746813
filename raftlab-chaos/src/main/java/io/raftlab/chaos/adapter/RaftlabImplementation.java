package io.raftlab.chaos.adapter;

import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.cluster.RaftlabCluster;

/**
 * raftlab itself: real server processes with every peer link through a proxy mesh, or linked
 * directly when the request says no faults will be injected.
 */
public final class RaftlabImplementation implements Implementation {

  @Override
  public String name() {
    return "raftlab";
  }

  @Override
  public ClusterUnderTest start(ClusterRequest request) throws Exception {
    if (!request.faultNetwork()) {
      return RaftlabCluster.startDirect(request.dir(), request.nodes(), request.settings(), request.startTimeout());
    }
    return RaftlabCluster.start(request.dir(), request.nodes(), request.settings(), request.startTimeout());
  }

  @Override
  public KvClient client(ClusterUnderTest cluster, ClientRoute route) {
    return new RaftlabKvClient(cluster, route);
  }
}
