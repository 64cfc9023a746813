package io.raftlab.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** Opens the gRPC channel to one endpoint; tests substitute an in-process transport. */
@FunctionalInterface
public interface ChannelFactory {

  ManagedChannel open(EndpointAddress endpoint);

  /** Plaintext channels over the default transport (Netty, shaded). */
  static ChannelFactory plaintext() {
    return endpoint -> ManagedChannelBuilder.forTarget(endpoint.toString()).usePlaintext().build();
  }
}
