package io.raftlab.chaos.adapter.spec;

import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.Implementation;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.KvClientFactory;
import io.raftlab.chaos.adapter.RaftlabImplementation;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An implementation described by a spec file ({@link ImplementationSpec}): started as processes
 * behind the proxy mesh, reached through raftlab's client API or through a {@link KvClientFactory}
 * named in the spec.
 */
public final class SpecImplementation implements Implementation {

  private final ImplementationSpec spec;
  private final KvClientFactory clients;

  public SpecImplementation(ImplementationSpec spec) {
    this.spec = spec;
    this.clients = factory(spec);
  }

  public static SpecImplementation load(Path file) throws IOException {
    return new SpecImplementation(ImplementationSpec.load(file));
  }

  private static KvClientFactory factory(ImplementationSpec spec) {
    if (spec.client().equals("raftlab")) {
      RaftlabImplementation raftlab = new RaftlabImplementation();
      return raftlab::client;
    }
    try {
      Class<?> c = Class.forName(spec.client());
      if (!KvClientFactory.class.isAssignableFrom(c)) {
        throw new SpecException(spec.source() + ": client: " + spec.client() + " does not implement " + KvClientFactory.class.getName());
      }
      return (KvClientFactory) c.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new SpecException(spec.source() + ": client: '" + spec.client() + "' is neither 'raftlab' nor a class on the class path");
    } catch (ReflectiveOperationException e) {
      throw new SpecException(spec.source() + ": client: cannot create " + spec.client() + " (a public no-argument constructor is needed): " + e);
    }
  }

  public ImplementationSpec spec() {
    return spec;
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public ClusterUnderTest start(ClusterRequest request) throws Exception {
    return SpecCluster.start(spec, request.dir(), request.nodes(), request.settings());
  }

  @Override
  public KvClient client(ClusterUnderTest cluster, ClientRoute route) {
    return clients.open(cluster, route);
  }
}
