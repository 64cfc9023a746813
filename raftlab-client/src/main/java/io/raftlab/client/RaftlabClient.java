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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

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
  private final ReentrantLock writeSlot = new ReentrantLock(true);
  private String clientId; // guarded by writeSlot
  private long lastSequence; // guarded by writeSlot
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
    writeSlot.lock();
    try {
      return clientId;
    } finally {
      writeSlot.unlock();
    }
  }

  /** The sequence number of the last write call in the current session (0 before any). */
  public long lastSequence() {
    writeSlot.lock();
    try {
      return lastSequence;
    } finally {
      writeSlot.unlock();
    }
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
    requireKey(key);
    long deadline = System.nanoTime() + options.totalDeadline().toNanos();
    GetRequest request = GetRequest.newBuilder().setKey(key).build();
    Answer<GetResponse> a =
        attempt("get", key, null, deadline, calls -> calls.get(request));
    GetResponse r = a.response;
    return new GetResult(
        key, r.getFound() ? Optional.of(r.getValue()) : Optional.empty(), info(r.getHeader(), a, null));
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
    requireKey(key);
    Objects.requireNonNull(value, "value");
    return write("put", key, session -> {
      PutRequest request = PutRequest.newBuilder().setSession(session).setKey(key).setValue(value)
          .setReturnPrevious(returnPrevious).build();
      return calls -> calls.put(request);
    }, (r, a, s) -> new PutResult(
        key, r.getHadPrevious() && returnPrevious ? Optional.of(r.getPrevious()) : Optional.empty(), info(r.getHeader(), a, s)));
  }

  public DeleteResult delete(String key) {
    requireKey(key);
    return write("delete", key, session -> {
      DeleteRequest request = DeleteRequest.newBuilder().setSession(session).setKey(key).build();
      return calls -> calls.delete(request);
    }, (r, a, s) -> new DeleteResult(key, r.getDeleted(), info(r.getHeader(), a, s)));
  }

  /**
   * Sets key to newValue if its value equals expected, or, with {@code expected == null}, if the
   * key is absent.
   */
  public CompareAndSetResult compareAndSet(String key, String expected, String newValue) {
    requireKey(key);
    Objects.requireNonNull(newValue, "newValue");
    return write("cas", key, session -> {
      CompareAndSetRequest.Builder b =
          CompareAndSetRequest.newBuilder().setSession(session).setKey(key).setNewValue(newValue);
      if (expected == null) {
        b.setExpectAbsent(true);
      } else {
        b.setExpected(expected);
      }
      CompareAndSetRequest request = b.build();
      return calls -> calls.compareAndSet(request);
    }, (r, a, s) -> new CompareAndSetResult(
        key, r.getSucceeded(), r.getFound() ? Optional.of(r.getCurrent()) : Optional.empty(),
        info(r.getHeader(), a, s)));
  }

  // ---- machinery ----------------------------------------------------------------------------

  private interface Rpc<R> {
    R call(KvCalls calls);
  }

  private interface RequestForSession<R> {
    Rpc<R> build(Session session);
  }

  private interface ResultMapper<R, T> {
    T map(R response, Answer<R> answer, Session session);
  }

  private record Answer<R>(R response, EndpointAddress endpoint, int attempts) {}

  private <R, T> T write(String op, String key, RequestForSession<R> request, ResultMapper<R, T> mapper) {
    long deadline = System.nanoTime() + options.totalDeadline().toNanos();
    try {
      if (!writeSlot.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new KvException(op, key, KvException.Outcome.DEFINITELY_NOT_APPLIED,
            KvException.Reason.DEADLINE_EXHAUSTED, List.of(), null, 0,
            "another write of this client held the write slot until the deadline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvException(op, key, KvException.Outcome.DEFINITELY_NOT_APPLIED,
          KvException.Reason.INTERRUPTED, List.of(), null, 0, "interrupted waiting for the write slot");
    }
    try {
      ensureOpen();
      // The sequence is spent even if this call fails: a later call must never reuse it.
      Session session = Session.newBuilder().setClientId(clientId).setSequence(++lastSequence).build();
      try {
        Answer<R> a = attempt(op, key, session, deadline, request.build(session));
        return mapper.map(a.response, a, session);
      } catch (KvException e) {
        if (e.reason() == KvException.Reason.SESSION_EXPIRED) {
          // The server forgot us; later writes need a session it has never seen.
          clientId = UUID.randomUUID().toString();
          lastSequence = 0;
        }
        throw e;
      }
    } finally {
      writeSlot.unlock();
    }
  }

  private <R> Answer<R> attempt(String op, String key, Session session, long deadline, Rpc<R> rpc) {
    ensureOpen();
    boolean write = session != null;
    List<Attempt> attempts = new ArrayList<>();
    Set<EndpointAddress> redirectedTo = new HashSet<>();
    EndpointAddress target = firstTarget();
    int retries = 0;
    while (true) {
      if (attempts.size() >= options.maxAttempts()) {
        throw giveUp(op, key, session, attempts, KvException.Reason.ATTEMPTS_EXHAUSTED, null);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw giveUp(op, key, session, attempts, KvException.Reason.DEADLINE_EXHAUSTED, null);
      }
      long timeout = Math.min(options.callTimeout().toNanos(), remaining);
      KvCalls calls = options.streams() != null
          ? options.streams().calls(target, timeout)
          : KvCalls.unary(channel(target), timeout);
      try {
        R response = rpc.call(calls);
        cachedLeader.set(target);
        return new Answer<>(response, target, attempts.size() + 1);
      } catch (StatusRuntimeException e) {
        // The blocking stub re-sets the interrupt flag when it cancels an interrupted call.
        boolean interrupted = Thread.currentThread().isInterrupted();
        Attempt failed = Attempt.classify(
            target, e.getStatus(), e.getTrailers(), calls.requestLeftClient(), write, interrupted);
        attempts.add(failed);
        if (!failed.retryable()) {
          throw giveUp(op, key, session, attempts, reasonFor(failed.kind()), null);
        }
        cachedLeader.compareAndSet(target, null);
        EndpointAddress hint = failed.leaderHint();
        if (options.followRedirects() && hint != null && !hint.equals(target)) {
          known.addIfAbsent(hint);
          cachedLeader.set(hint);
          boolean firstRedirectThere = redirectedTo.add(hint);
          target = hint;
          if (firstRedirectThere) {
            continue; // a fresh hint is worth trying at once
          }
        } else {
          target = nextAfter(target);
        }
        long pause = backoff.delayNanos(++retries);
        if (pause >= deadline - System.nanoTime()) {
          // The next attempt could only start after the deadline.
          throw giveUp(op, key, session, attempts, KvException.Reason.DEADLINE_EXHAUSTED,
              "next retry would start after the total deadline");
        }
        try {
          TimeUnit.NANOSECONDS.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw giveUp(op, key, session, attempts, KvException.Reason.INTERRUPTED, "interrupted during backoff");
        }
      }
    }
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
    for (ManagedChannel ch : channels.values()) {
      ch.shutdown();
    }
    for (ManagedChannel ch : channels.values()) {
      try {
        if (!ch.awaitTermination(1, TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      } catch (InterruptedException e) {
        ch.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
