package io.raftlab.client;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records whether one RPC got a stream on a live transport. A call that failed before that (no
 * connection, deadline spent while connecting) never left this process, so the node cannot have
 * applied it; once a stream exists we must assume the request may have arrived.
 */
final class TransmissionTracker implements ClientInterceptor {

  private final AtomicBoolean streamCreated = new AtomicBoolean();

  boolean requestLeftClient() {
    return streamCreated.get();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ClientStreamTracer.Factory factory =
        new ClientStreamTracer.Factory() {
          @Override
          public ClientStreamTracer newClientStreamTracer(
              ClientStreamTracer.StreamInfo info, Metadata headers) {
            return new ClientStreamTracer() {
              @Override
              public void streamCreated(Attributes transportAttrs, Metadata headers) {
                streamCreated.set(true);
              }
            };
          }
        };
    return next.newCall(method, callOptions.withStreamTracerFactory(factory));
  }
}
