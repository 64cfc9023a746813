package io.raftlab.cli;

import io.raftlab.client.EndpointAddress;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which cluster a command talks to: {@code --endpoints}, else the cluster file in {@code --cluster-dir}. */
final class ClusterTarget {

  @Option(names = "--endpoints", paramLabel = "HOST:PORT,...",
      description = "Client addresses of the nodes (default: read from CLUSTER_DIR/cluster.json).")
  String endpoints;

  @Option(names = "--cluster-dir", paramLabel = "DIR", defaultValue = "raftlab-cluster",
      description = "Base directory of a cluster started by 'raftlab cluster up' (default: ${DEFAULT-VALUE}).")
  Path clusterDir;

  /** The nodes to talk to; ids are "?" when only --endpoints was given. */
  List<ClusterFile.Node> nodes() {
    if (endpoints != null) {
      return EndpointAddress.parseList(endpoints, "--endpoints").stream()
          .map(e -> new ClusterFile.Node("?", e)).toList();
    }
    return ClusterFile.read(clusterDir);
  }

  List<EndpointAddress> addresses() {
    return nodes().stream().map(ClusterFile.Node::clientAddress).toList();
  }
}
