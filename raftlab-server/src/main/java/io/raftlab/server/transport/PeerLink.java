package io.raftlab.server.transport;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.api.peer.RaftPeerGrpc;
import io.raftlab.api.peer.StreamClosed;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream to one peer. Sent to from two threads (the one handling the Ready in flight, and the
 * loop thread sending heartbeats meanwhile), so its methods are synchronized; they only ever hold
 * the lock for a hand-over.
 *
 * <p>The link keeps itself open in the background, on the {@code connector} executor: after a
 * stream ends it tries again after a delay (50 ms, doubling up to 1 s while the peer stays away),
 * whether or not anyone sends, so a link to a restarted peer is open before an election needs it.
 * A try resolves the peer's address (its ports file may name a new port), waits for the channel
 * to connect, and only then starts the stream. Two things this replaced, both seen in the 12-24 ms
 * failover trials (docs/PERFORMANCE.md): the sender's own thread, the Raft loop, did all of this
 * inside {@code send} (1-12 ms per try, at every election, for the dead leader's link), and a
 * stream started on a channel that was still failing failed at once, so a new leader's messages
 * to a restarted peer were dropped for a reconnect delay and that peer started an election.
 *
 * <p>Messages sent while the link has no stream wait for the try under way, within
 * {@link #UNREADY_BYTES} (oldest dropped first); a try that finds the peer down drops them. Raft's
 * own retries (heartbeats, probes, election timeouts) recover. While a stream is not ready (the
 * peer does not keep up) up to the same allowance is handed to gRPC to buffer, then messages are
 * dropped, so a paused or blackholed peer costs bounded memory and looks to the core like what it
 * is, a slow or silent peer.
 */
final class PeerLink {

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
  private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  // How long one try waits for the channel to connect. On loopback a live peer answers within a
  // millisecond or two and a dead one refuses at once; a blackholed one is tried again later.
  private static final long TRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  static final long UNREADY_BYTES = 1 << 20;

  private final String peerId;
  private final String address;
  private final LongAdder dropped;
  private final UnaryOperator<NettyChannelBuilder> channels;
  private final ScheduledExecutorService connector;
  // All guarded by this.
  private String target;
  private ManagedChannel channel;
  private ClientCallStreamObserver<RaftMessage> stream;
  private StreamListener listener;
  private boolean closed;
  private boolean trying; // a try is under way (between attempt() and its end)
  private long tryId; // which try is current: callbacks of an abandoned try change nothing
  private ScheduledFuture<?> nextTry;
  private long lastTryNanos;
  private long retryNanos = MIN_RETRY_NANOS;
  private long bytesWhileNotReady;
  private final ArrayDeque<RaftMessage> waiting = new ArrayDeque<>();
  private long waitingBytes;

  /**
   * {@code channels}: how the link's channel is built (its network threads); {@code connector}: where
   * the link opens its streams, and times its retries.
   */
  PeerLink(String peerId, String address, LongAdder dropped, UnaryOperator<NettyChannelBuilder> channels,
      ScheduledExecutorService connector) {
    this.peerId = peerId;
    this.address = address;
    this.dropped = dropped;
    this.channels = channels;
    this.connector = connector;
  }

  synchronized void send(RaftMessage m) {
    if (stream != null) {
      offer(m);
      return;
    }
    if (closed) {
      dropped.increment();
      return;
    }
    if (!trying && System.nanoTime() - lastTryNanos >= MIN_RETRY_NANOS) {
      tryNow(); // someone needs the link: do not wait for the keeper's next try
    }
    if (!trying) {
      dropped.increment(); // the peer was found down moments ago
      return;
    }
    waiting.add(m);
    waitingBytes += m.getSerializedSize();
    while (waitingBytes > UNREADY_BYTES) {
      waitingBytes -= waiting.poll().getSerializedSize();
      dropped.increment();
    }
  }

  /** Hands {@code m} to the open stream, within the allowance while the stream is not ready. */
  private void offer(RaftMessage m) {
    // Flow control: a peer that does not read (paused, blackholed) must not grow our heap beyond
    // the allowance; a stream that is ready again gets a fresh one.
    if (stream.isReady()) {
      bytesWhileNotReady = 0;
    } else {
      long size = m.getSerializedSize();
      if (bytesWhileNotReady + size > UNREADY_BYTES) {
        dropped.increment();
        return;
      }
      bytesWhileNotReady += size;
    }
    stream.onNext(m);
  }

  /** Starts keeping the link open, so the first message does not wait for a connection. */
  synchronized void connect() {
    if (stream == null && !trying && !closed) {
      tryNow();
    }
  }

  /** True while the link has a stream whose transport is connected (for tests and inspection). */
  synchronized boolean isOpen() {
    return stream != null && stream.isReady();
  }

  private void tryNow() {
    if (nextTry != null) {
      nextTry.cancel(false);
      nextTry = null;
    }
    trying = true;
    long id = ++tryId;
    lastTryNanos = System.nanoTime();
    try {
      connector.execute(() -> attempt(id));
      connector.schedule(() -> failed(id), TRY_NANOS, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      trying = false; // the transport is closing
    }
  }

  private synchronized boolean current(long id) {
    return trying && id == tryId && !closed;
  }

  /** Schedules the keeper's next try and doubles the delay for the one after. */
  private void retryLater() {
    if (closed || nextTry != null) {
      return;
    }
    try {
      nextTry = connector.schedule(() -> {
        synchronized (this) {
          nextTry = null;
          if (stream == null && !trying && !closed) {
            tryNow();
          }
        }
      }, retryNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return; // the transport is closing
    }
    retryNanos = Math.min(MAX_RETRY_NANOS, 2 * retryNanos);
  }

  /** On the connector: resolves the address and asks the channel to connect, without the lock. */
  private void attempt(long id) {
    ManagedChannel ch;
    String tgt;
    synchronized (this) {
      if (!current(id)) {
        return;
      }
      ch = channel;
      tgt = target;
    }
    String resolved;
    try {
      resolved = PortsFile.resolve(address, "peer");
    } catch (RuntimeException e) {
      log.warn("link to {}: cannot read its address {}: {}", peerId, address, e.toString());
      resolved = null;
    }
    if (resolved == null) {
      failed(id); // not written yet: the peer is starting
      return;
    }
    if (!resolved.equals(tgt) || ch == null) {
      ManagedChannel old = ch;
      try {
        int colon = resolved.lastIndexOf(':');
        ch = channels.apply(NettyChannelBuilder.forAddress(resolved.substring(0, colon), Integer.parseInt(resolved.substring(colon + 1))))
            .usePlaintext()
            .directExecutor() // the only callbacks mark the stream broken
            // The peer answers only when the stream ends, so with retries on gRPC would keep every
            // message sent, up to 1 MiB a stream, to replay them; Raft does its own retrying.
            .disableRetry()
            .build();
      } catch (RuntimeException e) {
        log.warn("link to {}: bad address '{}': {}", peerId, resolved, e.toString());
        failed(id);
        return;
      }
      synchronized (this) {
        channel = ch;
        target = resolved;
      }
      if (old != null) {
        old.shutdownNow();
      }
    } else {
      // The channel may be waiting out gRPC's own connect backoff (up to two minutes): try now.
      ch.resetConnectBackoff();
    }
    await(ch, id, ch.getState(true));
  }

  /**
   * Starts the stream once {@code ch} is connected. A channel that failed to connect stays in
   * TRANSIENT_FAILURE while it tries again (gRPC's pick-first), so that state is waited out too,
   * until READY or the try's time is up.
   */
  private void await(ManagedChannel ch, long id, ConnectivityState state) {
    synchronized (this) {
      if (!current(id) || ch != channel) {
        return;
      }
    }
    if (state == ConnectivityState.IDLE) {
      state = ch.getState(true);
    }
    if (state == ConnectivityState.READY) {
      open(ch, id);
    } else if (state == ConnectivityState.SHUTDOWN) {
      failed(id);
    } else {
      ch.notifyWhenStateChanged(state, () -> {
        try {
          connector.execute(() -> await(ch, id, ch.getState(false)));
        } catch (RejectedExecutionException e) {
          failed(id);
        }
      });
    }
  }

  private void open(ManagedChannel ch, long id) {
    StreamListener l = new StreamListener();
    ClientCallStreamObserver<RaftMessage> s = (ClientCallStreamObserver<RaftMessage>) RaftPeerGrpc.newStub(ch).stream(l);
    synchronized (this) {
      if (!current(id) || l.ended) {
        s.onCompleted();
        if (current(id)) {
          failed(id);
        }
        return;
      }
      trying = false;
      stream = s;
      listener = l;
      retryNanos = MIN_RETRY_NANOS;
      bytesWhileNotReady = 0;
      while (!waiting.isEmpty()) {
        offer(waiting.poll());
      }
      waitingBytes = 0;
    }
  }

  /** Ends try {@code id} (if it is still the current one): what waited for it is dropped, and the keeper tries again later. */
  private synchronized void failed(long id) {
    if (!current(id)) {
      return;
    }
    trying = false;
    dropWaiting();
    retryLater();
  }

  private void dropWaiting() {
    dropped.add(waiting.size());
    waiting.clear();
    waitingBytes = 0;
  }

  /** A stream ended: the keeper reopens the link after the retry delay. */
  private synchronized void ended(StreamListener l, Throwable t) {
    if (l != listener) {
      return;
    }
    if (t != null) {
      log.debug("stream to {} at {} failed: {}", peerId, target, t.toString());
    }
    stream = null;
    listener = null;
    retryLater();
  }

  synchronized void close() {
    closed = true;
    dropWaiting();
    if (nextTry != null) {
      nextTry.cancel(false);
    }
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
      stream = null;
    }
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  /** One stream's end: it counts only while that stream is the link's current one. */
  private final class StreamListener implements ClientResponseObserver<RaftMessage, StreamClosed> {
    private volatile boolean ended;

    @Override
    public void beforeStart(ClientCallStreamObserver<RaftMessage> requestStream) {}

    @Override
    public void onNext(StreamClosed value) {}

    @Override
    public void onError(Throwable t) {
      ended = true;
      ended(this, t);
    }

    @Override
    public void onCompleted() {
      ended = true;
      ended(this, null);
    }
  }
}
