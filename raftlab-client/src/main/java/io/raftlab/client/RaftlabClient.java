package io.raftlab.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.CompareAndSetResponse;
import io.raftlab.api.kv.DeleteRequest;
import io.raftlab.api.kv.DeleteResponse;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.GetResponse;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import io.raftlab.api.kv.ResponseHeader;
import io.raftlab.api.kv.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client of a raftlab cluster's key-value service.
 *
 * <p>Routing: the cached leader is tried first; a NOT_LEADER answer naming the leader's address
 * sends the next attempt there at once (adding that address if it was not among the endpoints);
 * any other retryable failure moves on to the next endpoint in order after a jittered exponential
 * backoff. Every call is bounded by {@link ClientOptions#totalDeadline()} and
 * {@link ClientOptions#maxAttempts()}.
 *
 * <p>Writes: the client is one session (client id + sequence). Each write call takes the next
 * sequence number and keeps it across its retries, so the server can answer a retry of an
 * already-applied write with the original answer. Writes are serialized (one in flight per
 * session); reads run concurrently. Thread-safe.
 *
 * <p>Blocking calls ({@link #get}, {@link #put(String, String)}, ...) and calls that return a future
 * ({@link #getAsync}, {@link #putAsync}) follow the same rules; the latter let one thread keep
 * many clients busy.
 *
 * <p>Failures throw {@link KvException}, whose outcome says whether a write may have been applied.
 */
public final class RaftlabClient implements AutoCloseable {

  private final ClientOptions options;
  private final ExponentialBackoff backoff;
  private final CopyOnWriteArrayList<EndpointAddress> known;
  private final ConcurrentHashMap<EndpointAddress, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AtomicReference<EndpointAddress> cachedLeader = new AtomicReference<>();
  /** Index into {@link #known} of the endpoint to try first while no leader is cached. */
  private final AtomicInteger rotation = new AtomicInteger();
  /** One write in flight per session; a permit, not a lock, because an async write ends on another thread. */
  private final Semaphore writeSlot = new Semaphore(1, true);
  private volatile String clientId; // changed only by the writeSlot holder
  private volatile long lastSequence; // changed only by the writeSlot holder
  private volatile boolean closed;

  private RaftlabClient(List<EndpointAddress> endpoints, ClientOptions options) {
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(options, "options");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: at least one host:port is required");
    }
    this.options = options;
    this.backoff = new ExponentialBackoff(options.backoffBase(), options.backoffMax());
    this.known = new CopyOnWriteArrayList<>();
    for (EndpointAddress e : endpoints) {
      known.addIfAbsent(Objects.requireNonNull(e, "endpoint"));
    }
    this.clientId = options.clientId() != null ? options.clientId() : UUID.randomUUID().toString();
  }

  public static RaftlabClient connect(List<EndpointAddress> endpoints, ClientOptions options) {
    return new RaftlabClient(endpoints, options);
  }

  /** Endpoints as {@code host:port,host:port}, default options. */
  public static RaftlabClient connect(String endpoints) {
    return connect(EndpointAddress.parseList(endpoints, "endpoints"), ClientOptions.defaults());
  }

  /**
   * A client that sends every call to this one node exactly once: no redirects, no retries, no
   * other endpoints. A NOT_LEADER answer surfaces as a {@link KvException} whose last attempt
   * carries the leader hint. For tests and chaos clients that must talk to a chosen node.
   */
  public static RaftlabClient forNode(EndpointAddress endpoint, ClientOptions options) {
    return new RaftlabClient(List.of(endpoint), options.singleAttempt());
  }

  public static RaftlabClient forNode(String endpoint) {
    return forNode(EndpointAddress.parse(endpoint, "endpoint"), ClientOptions.defaults());
  }

  public ClientOptions options() {
    return options;
  }

  /** The session id later writes will use (changes after a SESSION_EXPIRED answer). */
  public String clientId() {
    return clientId;
  }

  /** The sequence number of the last write call in the current session (0 before any). */
  public long lastSequence() {
    return lastSequence;
  }

  public Optional<EndpointAddress> cachedLeader() {
    return Optional.ofNullable(cachedLeader.get());
  }

  /** The given endpoints followed by any leader addresses learned from redirects. */
  public List<EndpointAddress> knownEndpoints() {
    return List.copyOf(known);
  }

  // ---- operations --------------------------------------------------------------------------

  /** A linearizable read (served by the leader). A failed read is always DEFINITELY_NOT_APPLIED. */
  public GetResult get(String key) {
    return join(getAsync(key, false));
  }

  /**
   * {@link #get} without waiting: the future completes with the result or a {@link KvException}.
   * Its routing, retries and timeouts are the same; it never blocks the calling thread.
   */
  public CompletableFuture<GetResult> getAsync(String key) {
    return getAsync(key, true);
  }

  private CompletableFuture<GetResult> getAsync(String key, boolean async) {
    requireKey(key);
    long deadline = System.nanoTime() + options.totalDeadline().toNanos();
    KvOp<GetRequest, GetResponse> op = KvOp.get(GetRequest.newBuilder().setKey(key).build());
    return attempt("get", key, null, deadline, op, async).thenApply(a -> {
      GetResponse r = a.response;
      return new GetResult(key, r.getFound() ? Optional.of(r.getValue()) : Optional.empty(), info(r.getHeader(), a, null));
    });
  }

  /** Sets key to value; returns the value it replaced. */
  public PutResult put(String key, String value) {
    return put(key, value, true);
  }

  /**
   * Sets key to value. With {@code returnPrevious} off the answer does not carry the replaced
   * value (etcd's default), which saves the node encoding and this client decoding it; the
   * result's {@link PutResult#previous()} is then empty.
   */
  public PutResult put(String key, String value, boolean returnPrevious) {
    return join(put(key, value, returnPrevious, false));
  }

  /**
   * {@link #put(String, String, boolean)} without waiting. Writes of one client go one at a time (one
   * session, one sequence in flight): this one fails at once, DEFINITELY_NOT_APPLIED, if another
   * write of this client has not finished.
   */
  public CompletableFuture<PutResult> putAsync(String key, String value, boolean returnPrevious) {
    return put(key, value, returnPrevious, true);
  }

  private CompletableFuture<PutResult> put(String key, String value, boolean returnPrevious, boolean async) {
    requireKey(key);
    Objects.requireNonNull(value, "value");
    return write("put", key, async,
        session -> KvOp.put(PutRequest.newBuilder().setSession(session).setKey(key).setValue(value)
            .setReturnPrevious(returnPrevious).build()),
        (r, a, s) -> new PutResult(key, r.getHadPrevious() && returnPrevious ? Optional.of(r.getPrevious()) : Optional.empty(),
            info(r.getHeader(), a, s)));
  }

  public DeleteResult delete(String key) {
    requireKey(key);
    return join(write("delete", key, false,
        session -> KvOp.delete(DeleteRequest.newBuilder().setSession(session).setKey(key).build()),
        (r, a, s) -> new DeleteResult(key, r.getDeleted(), info(r.getHeader(), a, s))));
  }

  /**
   * Sets key to newValue if its value equals expected, or, with {@code expected == null}, if the
   * key is absent.
   */
  public CompareAndSetResult compareAndSet(String key, String expected, String newValue) {
    requireKey(key);
    Objects.requireNonNull(newValue, "newValue");
    return join(write("cas", key, false, session -> {
      CompareAndSetRequest.Builder b =
          CompareAndSetRequest.newBuilder().setSession(session).setKey(key).setNewValue(newValue);
      if (expected == null) {
        b.setExpectAbsent(true);
      } else {
        b.setExpected(expected);
      }
      return KvOp.compareAndSet(b.build());
    }, (r, a, s) -> new CompareAndSetResult(
        key, r.getSucceeded(), r.getFound() ? Optional.of(r.getCurrent()) : Optional.empty(),
        info(r.getHeader(), a, s))));
  }

  // ---- machinery ----------------------------------------------------------------------------
  //
  // Every operation is one attempt loop (Retries decides where and whether to go next), run
  // either on the calling thread (blocking calls, backoff by sleeping) or as a chain of callbacks
  // (async calls, backoff by a timer). A blocking call's future is already complete when returned.

  private interface OpForSession<Q, R> {
    KvOp<Q, R> build(Session session);
  }

  private interface ResultMapper<R, T> {
    T map(R response, Answer<R> answer, Session session);
  }

  private record Answer<R>(R response, EndpointAddress endpoint, int attempts) {}

  private <Q, R, T> CompletableFuture<T> write(String op, String key, boolean async, OpForSession<Q, R> request,
      ResultMapper<R, T> mapper) {
    long deadline = System.nanoTime() + options.totalDeadline().toNanos();
    try {
      boolean acquired = async ? writeSlot.tryAcquire()
          : writeSlot.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (!acquired) {
        return CompletableFuture.failedFuture(new KvException(op, key, KvException.Outcome.DEFINITELY_NOT_APPLIED,
            KvException.Reason.DEADLINE_EXHAUSTED, List.of(), null, 0, async
                ? "another write of this client was still in flight (a client's writes go one at a time)"
                : "another write of this client held the write slot until the deadline"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new KvException(op, key, KvException.Outcome.DEFINITELY_NOT_APPLIED,
          KvException.Reason.INTERRUPTED, List.of(), null, 0, "interrupted waiting for the write slot"));
    }
    CompletableFuture<T> result;
    Session session;
    try {
      ensureOpen();
      // The sequence is spent even if this call fails: a later call must never reuse it.
      session = Session.newBuilder().setClientId(clientId).setSequence(++lastSequence).build();
      result = attempt(op, key, session, deadline, request.build(session), async)
          .thenApply(a -> mapper.map(a.response, a, session));
    } catch (RuntimeException e) {
      writeSlot.release();
      throw e;
    }
    return result.whenComplete((r, e) -> {
      if (e != null && unwrap(e) instanceof KvException ke && ke.reason() == KvException.Reason.SESSION_EXPIRED) {
        // The server forgot us; later writes need a session it has never seen.
        clientId = UUID.randomUUID().toString();
        lastSequence = 0;
      }
      writeSlot.release();
    });
  }

  private <Q, R> CompletableFuture<Answer<R>> attempt(String op, String key, Session session, long deadline, KvOp<Q, R> rpc,
      boolean async) {
    ensureOpen();
    Retries retries = new Retries(op, key, session, deadline);
    if (async) {
      CompletableFuture<Answer<R>> answer = new CompletableFuture<>();
      attemptAsync(retries, rpc, answer);
      return answer;
    }
    try {
      return CompletableFuture.completedFuture(attemptBlocking(retries, rpc));
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <Q, R> Answer<R> attemptBlocking(Retries retries, KvOp<Q, R> rpc) {
    while (true) {
      long timeout = retries.nextTimeout();
      EndpointAddress target = retries.target;
      KvCalls calls = calls(target, timeout);
      try {
        R response = calls.call(rpc);
        return retries.answered(response, target);
      } catch (StatusRuntimeException e) {
        // The blocking call re-sets the interrupt flag when it cancels an interrupted call.
        boolean interrupted = Thread.currentThread().isInterrupted();
        long pause = retries.failed(e, calls.requestLeftClient(), interrupted);
        if (pause > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(pause);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw retries.giveUp(KvException.Reason.INTERRUPTED, "interrupted during backoff");
          }
        }
      }
    }
  }

  private <Q, R> void attemptAsync(Retries retries, KvOp<Q, R> rpc, CompletableFuture<Answer<R>> answer) {
    long timeout;
    KvCalls calls;
    EndpointAddress target = retries.target;
    try {
      ensureOpen();
      timeout = retries.nextTimeout();
      calls = calls(target, timeout);
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
      return;
    }
    calls.callAsync(rpc).whenComplete((response, err) -> {
      try {
        if (err == null) {
          answer.complete(retries.answered(response, target));
          return;
        }
        if (!(unwrap(err) instanceof StatusRuntimeException e)) {
          answer.completeExceptionally(unwrap(err));
          return;
        }
        long pause = retries.failed(e, calls.requestLeftClient(), false);
        if (pause == 0) {
          attemptAsync(retries, rpc, answer);
        } else {
          CompletableFuture.delayedExecutor(pause, TimeUnit.NANOSECONDS).execute(() -> attemptAsync(retries, rpc, answer));
        }
      } catch (RuntimeException e) {
        answer.completeExceptionally(e); // the KvException that ends the call
      }
    });
  }

  private KvCalls calls(EndpointAddress target, long timeoutNanos) {
    return options.streams() != null ? options.streams().calls(target, timeoutNanos) : KvCalls.unary(channel(target), timeoutNanos);
  }

  /**
   * Where one call goes next and when it gives up: the cached leader first, a fresh NOT_LEADER hint
   * at once, any other retryable failure on the next endpoint after a backoff, all within the
   * attempt limit and the total deadline. Used by one thread at a time.
   */
  private final class Retries {
    private final String op;
    private final String key;
    private final Session session;
    private final long deadline;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Set<EndpointAddress> redirectedTo = new HashSet<>();
    private EndpointAddress target = firstTarget();
    private int retries;

    Retries(String op, String key, Session session, long deadline) {
      this.op = op;
      this.key = key;
      this.session = session;
      this.deadline = deadline;
    }

    /** The next attempt's timeout, or the KvException that ends the call. */
    long nextTimeout() {
      if (attempts.size() >= options.maxAttempts()) {
        throw giveUp(KvException.Reason.ATTEMPTS_EXHAUSTED, null);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw giveUp(KvException.Reason.DEADLINE_EXHAUSTED, null);
      }
      return Math.min(options.callTimeout().toNanos(), remaining);
    }

    <R> Answer<R> answered(R response, EndpointAddress from) {
      cachedLeader.set(from);
      return new Answer<>(response, from, attempts.size() + 1);
    }

    /** Records a failed attempt and moves the target; returns the pause before the next (0: at once) or throws. */
    long failed(StatusRuntimeException e, boolean requestLeftClient, boolean interrupted) {
      Attempt failed = Attempt.classify(target, e.getStatus(), e.getTrailers(), requestLeftClient, session != null, interrupted);
      attempts.add(failed);
      if (!failed.retryable()) {
        throw giveUp(reasonFor(failed.kind()), null);
      }
      cachedLeader.compareAndSet(target, null);
      EndpointAddress hint = failed.leaderHint();
      if (options.followRedirects() && hint != null && !hint.equals(target)) {
        known.addIfAbsent(hint);
        cachedLeader.set(hint);
        boolean firstRedirectThere = redirectedTo.add(hint);
        target = hint;
        if (firstRedirectThere) {
          return 0; // a fresh hint is worth trying at once
        }
      } else {
        target = nextAfter(target);
      }
      long pause = backoff.delayNanos(++retries);
      if (pause >= deadline - System.nanoTime()) {
        // The next attempt could only start after the deadline.
        throw giveUp(KvException.Reason.DEADLINE_EXHAUSTED, "next retry would start after the total deadline");
      }
      return Math.max(1, pause);
    }

    KvException giveUp(KvException.Reason reason, String detail) {
      return RaftlabClient.this.giveUp(op, key, session, attempts, reason, detail);
    }
  }

  /** The result of a blocking call's (already complete) future, or its KvException. */
  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static KvException.Reason reasonFor(Attempt.Kind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> KvException.Reason.INVALID_ARGUMENT;
      case SESSION_EXPIRED -> KvException.Reason.SESSION_EXPIRED;
      case INTERRUPTED -> KvException.Reason.INTERRUPTED;
      default -> KvException.Reason.SERVER_ERROR;
    };
  }

  private KvException giveUp(
      String op, String key, Session session, List<Attempt> attempts, KvException.Reason reason, String detail) {
    boolean write = session != null;
    // Conservative: one attempt that may have reached a leader makes the whole call unknown.
    boolean maybeApplied = attempts.stream().anyMatch(Attempt::mayHaveBeenApplied)
        || (write && reason == KvException.Reason.SESSION_EXPIRED);
    KvException.Outcome outcome =
        maybeApplied ? KvException.Outcome.UNKNOWN : KvException.Outcome.DEFINITELY_NOT_APPLIED;
    return new KvException(op, key, outcome, reason, attempts,
        write ? session.getClientId() : null, write ? session.getSequence() : 0, detail);
  }

  private EndpointAddress firstTarget() {
    EndpointAddress leader = cachedLeader.get();
    if (leader != null) {
      return leader;
    }
    return known.get(Math.floorMod(rotation.get(), known.size()));
  }

  private EndpointAddress nextAfter(EndpointAddress target) {
    int i = known.indexOf(target);
    int next = Math.floorMod((i < 0 ? rotation.get() : i + 1), known.size());
    rotation.set(next);
    return known.get(next);
  }

  private ManagedChannel channel(EndpointAddress endpoint) {
    ensureOpen();
    ManagedChannel ch = channels.computeIfAbsent(endpoint, e -> options.channelFactory().open(e));
    if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      // gRPC waits up to minutes between reconnects; a restarted node should be reachable now.
      ch.resetConnectBackoff();
    }
    return ch;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("RaftlabClient is closed");
    }
  }

  private static ResponseInfo info(ResponseHeader h, Answer<?> a, Session session) {
    return new ResponseInfo(a.endpoint, h.getNodeId(), h.getTerm(), h.getIndex(), h.getLeaderId(),
        a.attempts, session == null ? null : session.getClientId(), session == null ? 0 : session.getSequence());
  }

  private static void requireKey(String key) {
    Objects.requireNonNull(key, "key");
  }

  @Override
  public void close() {
    closed = true;
    ChannelFactory.shutDown(channels.values());
  }
}
