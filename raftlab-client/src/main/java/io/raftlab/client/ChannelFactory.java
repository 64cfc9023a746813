package io.raftlab.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** Opens the gRPC channel to one endpoint; tests substitute an in-process transport. */
@FunctionalInterface
public interface ChannelFactory {

  ManagedChannel open(EndpointAddress endpoint);

  /** Shuts the channels down, giving each one second to finish its calls before ending them. */
  static void shutDown(java.util.Collection<ManagedChannel> channels) {
    channels.forEach(ManagedChannel::shutdown);
    for (ManagedChannel ch : channels) {
      try {
        if (!ch.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      } catch (InterruptedException e) {
        ch.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Plaintext channels over the default transport (Netty, shaded). */
  static ChannelFactory plaintext() {
    return endpoint -> ManagedChannelBuilder.forTarget(endpoint.toString()).usePlaintext().build();
  }
}
