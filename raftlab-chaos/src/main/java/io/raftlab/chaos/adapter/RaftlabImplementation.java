package io.raftlab.chaos.adapter;

import io.raftlab.chaos.cluster.ClusterUnderTest;
import io.raftlab.chaos.cluster.RaftlabCluster;

/**
 * raftlab itself: real server processes with every peer link through a proxy mesh, or linked
 * directly when the request says no faults will be injected. Its clients make unary calls, or,
 * as "raftlab-stream", send them as items of Batch streams: a differential run of the two checks
 * one client path against the other on the same servers.
 */
public final class RaftlabImplementation implements Implementation {

  private final boolean batchStreams;

  /** Unary calls. */
  public RaftlabImplementation() {
    this(false);
  }

  public RaftlabImplementation(boolean batchStreams) {
    this.batchStreams = batchStreams;
  }

  @Override
  public String name() {
    return batchStreams ? "raftlab-stream" : "raftlab";
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
    return new RaftlabKvClient(cluster, route, batchStreams);
  }
}
