package io.raftlab.server.service;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.batch.BatchStreamHandler;
import io.raftlab.api.command.Command;
import io.raftlab.api.kv.BatchRequest;
import io.raftlab.api.kv.BatchResponse;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.CompareAndSetResponse;
import io.raftlab.api.kv.DeleteRequest;
import io.raftlab.api.kv.DeleteResponse;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.GetResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import io.raftlab.api.kv.ResponseHeader;
import io.raftlab.api.kv.Session;
import io.raftlab.server.config.ServerConfig;
import io.raftlab.server.kv.WriteResult;
import io.raftlab.server.loop.RaftLoop;
import io.raftlab.server.loop.RequestException;
import io.raftlab.server.metrics.NodeMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The client-facing key-value service. Writes become log entries carrying the client's session;
 * reads wait for a confirmed read point. A follower forwards to the leader or redirects, as
 * configured; a request forwarded once is never forwarded again.
 */
public final class KeyValueService extends KeyValueGrpc.KeyValueImplBase {

  private final ServerConfig config;
  private final RaftLoop loop;
  private final LeaderDirectory leaders;
  private final NodeMetrics metrics;

  public KeyValueService(ServerConfig config, RaftLoop loop, LeaderDirectory leaders, NodeMetrics metrics) {
    this.config = config;
    this.loop = loop;
    this.leaders = leaders;
    this.metrics = metrics;
  }

  /** The four operations as items of one stream; each answered as its unary call would be. */
  @Override
  public StreamObserver<BatchRequest> batch(StreamObserver<BatchResponse> responses) {
    metrics.batchStreamOpened();
    return new BatchStreamHandler(this, responses);
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> obs) {
    String problem = checkKey(req.getKeyBytes());
    if (problem != null) {
      fail("get", obs, Trailers.invalid(problem));
      return;
    }
    Arrival arrival = Arrival.now();
    boolean allowFollower = config.forwardToLeader();
    timed(loop.read(req.getKey(), allowFollower)).whenComplete((ans, err) -> {
      if (err != null) {
        if (!forwardIfNotLeader("get", arrival, err, KeyValueGrpc.getGetMethod(), req, obs)) {
          fail("get", obs, Trailers.of(err, false, leaders));
        }
        return;
      }
      GetResponse.Builder b = GetResponse.newBuilder().setHeader(header(ans.index(), ans.term())).setFound(ans.value() != null);
      if (ans.value() != null) {
        b.setValue(ans.value());
      }
      succeed("get", arrival.nanos(), obs, b.build());
    });
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> obs) {
    String problem = firstProblem(checkSession(req.getSession()), checkKey(req.getKeyBytes()), checkValue(req.getValueBytes()));
    if (problem != null) {
      fail("put", obs, Trailers.invalid(problem));
      return;
    }
    Command cmd = command(req.getSession()).setPut(io.raftlab.api.command.Put.newBuilder().setKeyBytes(req.getKeyBytes()).setValueBytes(req.getValueBytes())).build();
    write("put", cmd, KeyValueGrpc.getPutMethod(), req, obs, r -> {
      PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(r.index(), r.term())).setHadPrevious(r.found());
      if (r.value() != null && req.getReturnPrevious()) {
        b.setPrevious(r.value());
      }
      return b.build();
    });
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> obs) {
    String problem = firstProblem(checkSession(req.getSession()), checkKey(req.getKeyBytes()));
    if (problem != null) {
      fail("delete", obs, Trailers.invalid(problem));
      return;
    }
    Command cmd = command(req.getSession()).setDelete(io.raftlab.api.command.Delete.newBuilder().setKeyBytes(req.getKeyBytes())).build();
    write("delete", cmd, KeyValueGrpc.getDeleteMethod(), req, obs,
        r -> DeleteResponse.newBuilder().setHeader(header(r.index(), r.term())).setDeleted(r.succeeded()).build());
  }

  @Override
  public void compareAndSet(CompareAndSetRequest req, StreamObserver<CompareAndSetResponse> obs) {
    String problem = firstProblem(checkSession(req.getSession()), checkKey(req.getKeyBytes()),
        req.getExpectAbsent() ? null : checkValue(req.getExpectedBytes()), checkValue(req.getNewValueBytes()));
    if (problem != null) {
      fail("cas", obs, Trailers.invalid(problem));
      return;
    }
    Command cmd = command(req.getSession()).setCas(io.raftlab.api.command.CompareAndSet.newBuilder()
        .setKeyBytes(req.getKeyBytes()).setExpectAbsent(req.getExpectAbsent()).setExpectedBytes(req.getExpectedBytes())
        .setNewValueBytes(req.getNewValueBytes())).build();
    write("cas", cmd, KeyValueGrpc.getCompareAndSetMethod(), req, obs, r -> {
      CompareAndSetResponse.Builder b = CompareAndSetResponse.newBuilder().setHeader(header(r.index(), r.term()))
          .setSucceeded(r.succeeded()).setFound(r.found() || r.succeeded());
      if (r.value() != null) {
        b.setCurrent(r.value());
      }
      return b.build();
    });
  }

  private <Q, R> void write(String op, Command cmd, MethodDescriptor<Q, R> method, Q req, StreamObserver<R> obs, Function<WriteResult, R> answer) {
    Arrival arrival = Arrival.now();
    CompletableFuture<WriteResult> f;
    try {
      f = timed(loop.propose(cmd.toByteArray()));
    } catch (RequestException e) {
      fail(op, obs, Trailers.of(e, true, leaders));
      return;
    }
    f.whenComplete((r, err) -> {
      if (err != null) {
        if (!forwardIfNotLeader(op, arrival, err, method, req, obs)) {
          fail(op, obs, Trailers.of(err, true, leaders));
        }
        return;
      }
      succeed(op, arrival.nanos(), obs, answer.apply(r));
    });
  }

  /** On NOT_LEADER in forward mode, relays the call to the leader and its answer back. */
  private <Q, R> boolean forwardIfNotLeader(String op, Arrival arrival, Throwable err, MethodDescriptor<Q, R> method, Q req, StreamObserver<R> obs) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (!(cause instanceof RequestException re) || re.kind() != RequestException.Kind.NOT_LEADER
        || !config.forwardToLeader() || arrival.forwarded()) {
      return false;
    }
    ManagedChannel ch = leaders.channelTo(re.leader());
    if (ch == null) {
      return false;
    }
    Deadline deadline = arrival.deadline();
    if (deadline == null) {
      deadline = Deadline.after(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
    }
    Metadata headers = new Metadata();
    headers.put(Trailers.FORWARDED, "1");
    ClientCall<Q, R> call = io.grpc.ClientInterceptors.intercept(ch, io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
        .newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
    metrics.forwarded(op);
    // The forwarded call runs outside this request's context, so cancelling one does not cancel the other.
    Context.ROOT.run(() -> ClientCalls.asyncUnaryCall(call, req, new StreamObserver<R>() {
      @Override
      public void onNext(R value) {
        succeed(op, arrival.nanos(), obs, value);
      }

      @Override
      public void onError(Throwable t) {
        Status s = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        if (trailers == null || !trailers.containsKey(Trailers.OUTCOME)) {
          // The leader's answer was lost on the way: a write may have been applied there.
          fail(op, obs, Trailers.error(s.withDescription("forwarded to leader " + re.leader() + ": " + s.getDescription()),
              !op.equals("get"), re.leader(), leaders.clientAddress(re.leader())));
        } else {
          fail(op, obs, s.asRuntimeException(trailers));
        }
      }

      @Override
      public void onCompleted() {}
    }));
    return true;
  }

  /**
   * What is known of a request when it arrives, on the gRPC thread that carries its context. The
   * answer is handled later on whichever thread completes the operation (usually the Raft loop's),
   * where that context is gone: reading it there would let a forwarded request be forwarded again.
   */
  private record Arrival(long nanos, boolean forwarded, Deadline deadline) {
    static Arrival now() {
      return new Arrival(System.nanoTime(), Trailers.wasForwarded(), Context.current().getDeadline());
    }
  }

  private <T> CompletableFuture<T> timed(CompletableFuture<T> f) {
    return f.orTimeout(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  private Command.Builder command(Session s) {
    return Command.newBuilder().setClientId(s.getClientId()).setSequence(s.getSequence()).setProposedAtMillis(System.currentTimeMillis());
  }

  private ResponseHeader header(long index, long term) {
    ResponseHeader.Builder b = ResponseHeader.newBuilder().setNodeId(config.id()).setIndex(index).setTerm(term);
    String leader = loop.softState().leader();
    if (leader != null) {
      b.setLeaderId(leader);
    }
    return b.build();
  }

  // Keys and values are checked and passed on as the UTF-8 bytes they arrived in (gRPC has already
  // refused invalid UTF-8): decoding to a String and encoding it again cost a copy each per request.
  private String checkKey(ByteString key) {
    if (key.isEmpty()) {
      return "key: must not be empty";
    }
    int bytes = key.size();
    if (bytes > config.maxKeyBytes()) {
      return "key: " + bytes + " bytes is over the limit of " + config.maxKeyBytes() + " (max-key-bytes)";
    }
    return null;
  }

  private String checkValue(ByteString value) {
    int bytes = value.size();
    if (bytes > config.maxValueBytes()) {
      return "value: " + bytes + " bytes is over the limit of " + config.maxValueBytes() + " (max-value-bytes)";
    }
    return null;
  }

  private static String checkSession(Session s) {
    if (s.getClientId().isEmpty()) {
      return "session.client_id: must not be empty (one id per client)";
    }
    if (s.getClientId().length() > 128) {
      return "session.client_id: longer than 128 characters";
    }
    if (s.getSequence() < 1) {
      return "session.sequence: must be >= 1, got " + s.getSequence();
    }
    return null;
  }

  private static String firstProblem(String... problems) {
    for (String p : problems) {
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private <R> void succeed(String op, long started, StreamObserver<R> obs, R value) {
    metrics.request(op, "ok");
    metrics.served(op, System.nanoTime() - started);
    try {
      obs.onNext(value);
      obs.onCompleted();
    } catch (RuntimeException e) {
      // the client went away; nothing to tell it
    }
  }

  private <R> void fail(String op, StreamObserver<R> obs, io.grpc.StatusRuntimeException e) {
    metrics.request(op, e.getStatus().getCode().name().toLowerCase());
    try {
      obs.onError(e);
    } catch (RuntimeException ignored) {
      // the client went away
    }
  }
}
