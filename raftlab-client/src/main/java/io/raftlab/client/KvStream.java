package io.raftlab.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.batch.ItemErrors;
import io.raftlab.api.kv.BatchRequest;
import io.raftlab.api.kv.BatchResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.RequestItem;
import io.raftlab.api.kv.ResponseItem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One KeyValue.Batch stream to one node, shared by every thread calling that node through it.
 * Each call is an item with a fresh tag; items queued while another thread is sending go out with
 * that thread's message, so many concurrent callers share one message instead of one RPC each.
 *
 * <p>A call waits for its own answer up to its timeout. When the stream fails, every waiting call
 * fails with the stream's status (UNAVAILABLE for a lost connection: a write that was sent may have
 * been applied), and the stream is not used again ({@link KvStreams} opens a new one).
 *
 * <p>A call that gives up before the stream reached the node (a node that accepted the connection
 * but is stopped, say) abandons the whole stream: its item is still queued in gRPC and would go out
 * once the node wakes, so only cancelling the stream makes "never sent" true. The other calls
 * waiting on it fail as UNAVAILABLE and retry elsewhere, still unsent.
 */
final class KvStream {

  /** Items per message stop growing past this size, well under gRPC's default 4 MiB limit. */
  private static final int MESSAGE_BYTES = 1 << 20;

  private final EndpointAddress endpoint;
  private final TransmissionTracker tracker = new TransmissionTracker();
  private final ConcurrentHashMap<Long, CompletableFuture<ResponseItem>> waiting = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<RequestItem> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicLong tags = new AtomicLong();
  private final ClientCallStreamObserver<BatchRequest> requests;
  private volatile StatusRuntimeException failure;
  private volatile boolean abandoned;

  KvStream(EndpointAddress endpoint, Channel channel) {
    this.endpoint = endpoint;
    this.requests = (ClientCallStreamObserver<BatchRequest>)
        // Answers are handled on the network thread that read them: handling one only hands it to
        // its waiting caller, and a hop through an executor would cost a thread wake-up per message.
        KeyValueGrpc.newStub(channel).withInterceptors(tracker).withExecutor(Runnable::run).batch(new Answers());
  }

  /** True once the stream has failed or ended: it takes no more calls. */
  boolean failed() {
    return failure != null;
  }

  /** Ends the stream; calls still waiting fail with CANCELLED. */
  void cancel(String why) {
    requests.cancel(why, null);
  }

  /**
   * Whether the stream ever reached the node, after making sure it never will if it has not: a
   * cancelled call whose transport stream was not created yet never creates it, so a false answer
   * here is final and proves that no item of this stream was sent.
   */
  private boolean reachedNodeOrAbandon(String why) {
    if (tracker.requestLeftClient()) {
      return true;
    }
    abandoned = true;
    failure = Status.UNAVAILABLE.withDescription("batch stream to " + endpoint + " abandoned before it reached the node: " + why)
        .asRuntimeException();
    requests.cancel(why, null);
    return tracker.requestLeftClient();
  }

  /** The calls of one attempt, each waiting at most {@code timeoutNanos}. */
  KvCalls calls(long timeoutNanos) {
    return new KvCalls() {
      private volatile boolean left;

      @Override
      public <Q, R> R call(KvOp<Q, R> op) {
        Pending p = send(op);
        try {
          return answered(op, p.answer.get(timeoutNanos, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          throw timedOut(p.tag);
        } catch (InterruptedException e) {
          waiting.remove(p.tag);
          left = reachedNodeOrAbandon("a call was interrupted while connecting");
          Thread.currentThread().interrupt();
          throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
          throw streamFailed(e.getCause());
        }
      }

      @Override
      public <Q, R> CompletableFuture<R> callAsync(KvOp<Q, R> op) {
        Pending p;
        try {
          p = send(op);
        } catch (StatusRuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
        return p.answer.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((r, err) -> {
          if (err == null) {
            return answered(op, r);
          }
          Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          throw cause instanceof TimeoutException ? timedOut(p.tag) : streamFailed(cause);
        });
      }

      @Override
      public boolean requestLeftClient() {
        return left;
      }

      private <R> R answered(KvOp<?, R> op, ResponseItem r) {
        left = true;
        if (r.hasError()) {
          throw ItemErrors.toException(r.getError());
        }
        return op.fromItem().apply(r);
      }

      private StatusRuntimeException timedOut(long tag) {
        waiting.remove(tag);
        left = reachedNodeOrAbandon("a call timed out while connecting");
        return Status.DEADLINE_EXCEEDED.withDescription("no answer from " + endpoint + " on its batch stream within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms").asRuntimeException();
      }

      /** The stream failed: the item may have gone out only if the stream ever reached the node. */
      private StatusRuntimeException streamFailed(Throwable cause) {
        left = tracker.requestLeftClient();
        return (StatusRuntimeException) cause;
      }
    };
  }

  private record Pending(long tag, CompletableFuture<ResponseItem> answer) {}

  /** Queues the item under a fresh tag (or throws the stream's failure) and sends what is queued. */
  private Pending send(KvOp<?, ?> op) {
    long tag = tags.incrementAndGet();
    CompletableFuture<ResponseItem> answer = new CompletableFuture<>();
    waiting.put(tag, answer);
    // Checked after registering: a failure from now on finds this call among the waiting.
    StatusRuntimeException before = failure;
    if (before != null) {
      waiting.remove(tag);
      throw before;
    }
    outbox.add(op.asItem().apply(RequestItem.newBuilder().setTag(tag)).build());
    drain();
    return new Pending(tag, answer);
  }

  private void drain() {
    while (sending.compareAndSet(false, true)) {
      try {
        RequestItem first;
        while ((first = outbox.poll()) != null) {
          BatchRequest.Builder b = BatchRequest.newBuilder().addItems(first);
          int bytes = first.getSerializedSize();
          RequestItem next;
          while (bytes < MESSAGE_BYTES && (next = outbox.poll()) != null) {
            b.addItems(next);
            bytes += next.getSerializedSize();
          }
          requests.onNext(b.build());
        }
      } catch (RuntimeException e) {
        // The call is already closed; its waiting callers hear it from onError or their timeout.
        outbox.clear();
      } finally {
        sending.set(false);
      }
      // An item queued after the last poll, while the flag was still taken, is this thread's to send.
      if (outbox.isEmpty()) {
        return;
      }
    }
  }

  private final class Answers implements StreamObserver<BatchResponse> {
    @Override
    public void onNext(BatchResponse batch) {
      for (ResponseItem item : batch.getItemsList()) {
        CompletableFuture<ResponseItem> answer = waiting.remove(item.getTag());
        if (answer != null) {
          answer.complete(item); // absent: its caller timed out and left
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      if (abandoned) {
        failAll(failure); // retryable, and provably unsent: the stream never reached the node
        return;
      }
      Status s = Status.fromThrowable(t);
      failAll(s.withDescription("batch stream to " + endpoint + ": " + s.getDescription())
          .withCause(t).asRuntimeException(Status.trailersFromThrowable(t)));
    }

    @Override
    public void onCompleted() {
      // The server ends a stream only after the client closed its side, which this client never does.
      failAll(Status.UNAVAILABLE.withDescription("batch stream to " + endpoint + " ended by the server").asRuntimeException());
    }

    private void failAll(StatusRuntimeException e) {
      failure = e;
      for (Long tag : waiting.keySet()) {
        CompletableFuture<ResponseItem> answer = waiting.remove(tag);
        if (answer != null) {
          answer.completeExceptionally(e);
        }
      }
    }
  }
}
