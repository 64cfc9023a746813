package io.raftlab.server.transport;

import io.grpc.stub.StreamObserver;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import io.raftlab.core.InvalidMessageException;
import io.raftlab.core.Message;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Incoming peer streams: decode each message and hand it to the node; refuse what is malformed. */
public final class PeerService extends RaftPeerGrpc.RaftPeerImplBase {

  private static final Logger log = LoggerFactory.getLogger(PeerService.class);

  private final Consumer<Message> inbox;
  private final Consumer<String> refused;

  /** {@code refused} hears the reason of every message refused (for metrics and logs). */
  public PeerService(Consumer<Message> inbox, Consumer<String> refused) {
    this.inbox = inbox;
    this.refused = refused;
  }

  @Override
  public StreamObserver<RaftMessage> stream(StreamObserver<StreamClosed> responseObserver) {
    return new StreamObserver<>() {
      long received;
      long refusedCount;

      @Override
      public void onNext(RaftMessage value) {
        received++;
        Message m;
        try {
          m = MessageCodec.decode(value);
        } catch (InvalidMessageException | IllegalArgumentException e) {
          refusedCount++;
          refused.accept(e.getMessage());
          return;
        }
        inbox.accept(m);
      }

      @Override
      public void onError(Throwable t) {
        log.debug("peer stream ended: {}", t.toString());
      }

      @Override
      public void onCompleted() {
        responseObserver.onNext(StreamClosed.newBuilder().setReceived(received).setRefused(refusedCount).build());
        responseObserver.onCompleted();
      }
    };
  }
}
