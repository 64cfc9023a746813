package io.raftlab.api.batch;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.kv.BatchRequest;
import io.raftlab.api.kv.BatchResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.RequestItem;
import io.raftlab.api.kv.ResponseItem;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Serves one KeyValue.Batch stream by running every item through the service's own unary methods,
 * so an item's answer is exactly what the unary call would have returned, errors included.
 *
 * <p>Answers leave as their operations complete, coalesced: whichever thread finds answers waiting
 * sends all of them as one message, and the others go on (no thread waits for another). When the
 * client closes its side, the stream ends once every item it sent has been answered.
 *
 * <p>The next request message is read only while answers can leave (the call is ready): a client
 * that sends without reading its answers is held up by flow control instead of growing this
 * node's buffers.
 */
public final class BatchStreamHandler implements StreamObserver<BatchRequest> {

  /** Answers per message stop growing past this size, well under gRPC's default 4 MiB limit. */
  static final int MESSAGE_BYTES = 1 << 20;

  private final KeyValueGrpc.KeyValueImplBase service;
  private final StreamObserver<BatchResponse> responses;
  private final ConcurrentLinkedQueue<ResponseItem> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicLong unanswered = new AtomicLong();
  private volatile boolean requestsEnded;
  private volatile boolean cancelled;
  private boolean finished; // only touched by the thread holding `sending`
  private final ServerCallStreamObserver<BatchResponse> call; // null outside a real server call
  private boolean awaitingMessage; // call callbacks only (gRPC runs them one at a time)

  public BatchStreamHandler(KeyValueGrpc.KeyValueImplBase service, StreamObserver<BatchResponse> responses) {
    this.service = service;
    this.responses = responses;
    if (responses instanceof ServerCallStreamObserver<BatchResponse> c) {
      this.call = c;
      // Without a handler, sending on a cancelled call throws; with it, answers are just dropped.
      c.setOnCancelHandler(() -> cancelled = true);
      c.disableAutoRequest();
      c.setOnReadyHandler(this::askForMore);
      awaitingMessage = true;
      c.request(1);
    } else {
      this.call = null;
    }
  }

  /** Asks for the next request message if none is asked for yet and answers can leave. */
  private void askForMore() {
    if (call != null && !awaitingMessage && !cancelled && call.isReady()) {
      awaitingMessage = true;
      call.request(1);
    }
  }

  @Override
  public void onNext(BatchRequest batch) {
    awaitingMessage = false;
    for (RequestItem item : batch.getItemsList()) {
      unanswered.incrementAndGet();
      try {
        dispatch(item);
      } catch (RuntimeException e) {
        // What a unary call's handler throwing would have become.
        answer(ResponseItem.newBuilder().setTag(item.getTag()).setError(ItemErrors.of(Status.fromThrowable(e).asRuntimeException())).build());
      }
    }
    askForMore(); // or, if answers are backed up, the call's next onReady does
  }

  private void dispatch(RequestItem item) {
    long tag = item.getTag();
    switch (item.getOpCase()) {
      case GET -> service.get(item.getGet(), new ItemAnswer<>(tag, ResponseItem.Builder::setGet));
      case PUT -> service.put(item.getPut(), new ItemAnswer<>(tag, ResponseItem.Builder::setPut));
      case DELETE -> service.delete(item.getDelete(), new ItemAnswer<>(tag, ResponseItem.Builder::setDelete));
      case CAS -> service.compareAndSet(item.getCas(), new ItemAnswer<>(tag, ResponseItem.Builder::setCas));
      case OP_NOT_SET -> new ItemAnswer<>(tag, (b, r) -> {}).onError(Status.INVALID_ARGUMENT
          .withDescription("item " + tag + ": no operation (one of get, put, delete, cas is required)")
          .asRuntimeException(notApplied()));
    }
  }

  @Override
  public void onError(Throwable t) {
    // The client cancelled or the connection is gone: nobody is left to answer.
    cancelled = true;
    outbox.clear();
  }

  @Override
  public void onCompleted() {
    requestsEnded = true;
    drain();
  }

  private void answer(ResponseItem item) {
    outbox.add(item);
    unanswered.decrementAndGet();
    drain();
  }

  private void drain() {
    while (sending.compareAndSet(false, true)) {
      try {
        flush();
        if (finishDue()) {
          finished = true;
          if (!cancelled) {
            responses.onCompleted();
          }
        }
      } catch (RuntimeException e) {
        cancelled = true; // the call is closed under us; later answers have nowhere to go
      } finally {
        sending.set(false);
      }
      // Something may have arrived after flush() looked and before the flag was released; its
      // sender saw the flag taken and left it to this thread.
      if (outbox.isEmpty() && !finishDue()) {
        return;
      }
    }
  }

  private boolean finishDue() {
    return !finished && requestsEnded && unanswered.get() == 0 && outbox.isEmpty();
  }

  private void flush() {
    ResponseItem first;
    while ((first = outbox.poll()) != null) {
      if (cancelled) {
        outbox.clear();
        return;
      }
      BatchResponse.Builder b = BatchResponse.newBuilder().addItems(first);
      int bytes = first.getSerializedSize();
      ResponseItem next;
      while (bytes < MESSAGE_BYTES && (next = outbox.poll()) != null) {
        b.addItems(next);
        bytes += next.getSerializedSize();
      }
      responses.onNext(b.build());
    }
  }

  /** Collects one item's unary answer (onNext then onCompleted, or onError) and queues it. */
  private final class ItemAnswer<R> implements StreamObserver<R> {
    private final long tag;
    private final BiConsumer<ResponseItem.Builder, R> set;
    private R value;

    ItemAnswer(long tag, BiConsumer<ResponseItem.Builder, R> set) {
      this.tag = tag;
      this.set = set;
    }

    @Override
    public void onNext(R v) {
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      answer(ResponseItem.newBuilder().setTag(tag).setError(ItemErrors.of(t)).build());
    }

    @Override
    public void onCompleted() {
      if (value == null) {
        onError(Status.INTERNAL.withDescription("the service completed item " + tag + " without an answer").asRuntimeException());
        return;
      }
      ResponseItem.Builder b = ResponseItem.newBuilder().setTag(tag);
      set.accept(b, value);
      answer(b.build());
    }
  }

  /** The outcome trailer the server contract puts on refusals made before proposing. */
  private static Metadata notApplied() {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("raftlab-outcome", Metadata.ASCII_STRING_MARSHALLER), "not-applied");
    return m;
  }
}
