package io.raftlab.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The key-value calls one attempt makes to one node, bounded by the attempt's timeout, waited for
 * or not. A failure is a {@link io.grpc.StatusRuntimeException} with the server's trailers (thrown,
 * or completing the future), whichever way the call travelled, so {@link Attempt#classify} reads
 * both the same.
 */
interface KvCalls {

  <Q, R> R call(KvOp<Q, R> op);

  <Q, R> CompletableFuture<R> callAsync(KvOp<Q, R> op);

  /** Whether the request may have reached the node; false proves it never did. Read once the call has ended. */
  boolean requestLeftClient();

  /** One unary RPC per call. */
  static KvCalls unary(Channel channel, long timeoutNanos) {
    TransmissionTracker tracker = new TransmissionTracker();
    Channel tracked = ClientInterceptors.intercept(channel, tracker);
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    return new KvCalls() {
      @Override
      public <Q, R> R call(KvOp<Q, R> op) {
        return ClientCalls.blockingUnaryCall(tracked, op.method(), options, op.request());
      }

      @Override
      public <Q, R> CompletableFuture<R> callAsync(KvOp<Q, R> op) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(tracked.newCall(op.method(), options), op.request(), new StreamObserver<>() {
          @Override
          public void onNext(R value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
        return answer;
      }

      @Override
      public boolean requestLeftClient() {
        return tracker.requestLeftClient();
      }
    };
  }
}
