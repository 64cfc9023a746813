package io.raftlab.client;

import io.grpc.Channel;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.CompareAndSetResponse;
import io.raftlab.api.kv.DeleteRequest;
import io.raftlab.api.kv.DeleteResponse;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.GetResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import java.util.concurrent.TimeUnit;

/**
 * The key-value calls one attempt makes to one node, bounded by the attempt's timeout. A failure is
 * a {@link io.grpc.StatusRuntimeException} with the server's trailers, whichever way the call
 * travelled, so {@link Attempt#classify} reads both the same.
 */
interface KvCalls {

  GetResponse get(GetRequest request);

  PutResponse put(PutRequest request);

  DeleteResponse delete(DeleteRequest request);

  CompareAndSetResponse compareAndSet(CompareAndSetRequest request);

  /** Whether the request may have reached the node; false proves it never did. */
  boolean requestLeftClient();

  /** One unary RPC per call. */
  static KvCalls unary(Channel channel, long timeoutNanos) {
    TransmissionTracker tracker = new TransmissionTracker();
    KeyValueGrpc.KeyValueBlockingStub stub =
        KeyValueGrpc.newBlockingStub(channel).withInterceptors(tracker).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    return new KvCalls() {
      @Override
      public GetResponse get(GetRequest request) {
        return stub.get(request);
      }

      @Override
      public PutResponse put(PutRequest request) {
        return stub.put(request);
      }

      @Override
      public DeleteResponse delete(DeleteRequest request) {
        return stub.delete(request);
      }

      @Override
      public CompareAndSetResponse compareAndSet(CompareAndSetRequest request) {
        return stub.compareAndSet(request);
      }

      @Override
      public boolean requestLeftClient() {
        return tracker.requestLeftClient();
      }
    };
  }
}
