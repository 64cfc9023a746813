package io.raftlab.server.service;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftlab.server.loop.RequestException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * How errors travel to clients. gRPC's UNAVAILABLE and DEADLINE_EXCEEDED are also produced by the
 * transport, where the outcome of a write is unknown; so every error this server generates says
 * explicitly, in the {@code raftlab-outcome} trailer, whether the request was certainly not
 * applied ({@code not-applied}) or may have been ({@code unknown}).
 */
public final class Trailers {

  public static final Metadata.Key<String> LEADER_ID = Metadata.Key.of("raftlab-leader-id", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> LEADER_ADDRESS = Metadata.Key.of("raftlab-leader-address", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> OUTCOME = Metadata.Key.of("raftlab-outcome", Metadata.ASCII_STRING_MARSHALLER);
  /** Set on a request a follower forwarded, so it is never forwarded twice. */
  public static final Metadata.Key<String> FORWARDED = Metadata.Key.of("raftlab-forwarded", Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<Boolean> FORWARDED_CTX = Context.key("raftlab-forwarded");

  private Trailers() {}

  /** Records whether the incoming call was forwarded by another node. */
  public static ServerInterceptor forwardedMarker() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context ctx = Context.current().withValue(FORWARDED_CTX, headers.containsKey(FORWARDED));
        return Contexts.interceptCall(ctx, call, headers, next);
      }
    };
  }

  static boolean wasForwarded() {
    return Boolean.TRUE.equals(FORWARDED_CTX.get());
  }

  static StatusRuntimeException invalid(String message) {
    return error(Status.INVALID_ARGUMENT.withDescription(message), false, null, null);
  }

  static StatusRuntimeException error(Status status, boolean maybeApplied, String leaderId, String leaderAddress) {
    Metadata md = new Metadata();
    md.put(OUTCOME, maybeApplied ? "unknown" : "not-applied");
    if (leaderId != null) {
      md.put(LEADER_ID, leaderId);
    }
    if (leaderAddress != null) {
      md.put(LEADER_ADDRESS, leaderAddress);
    }
    return status.asRuntimeException(md);
  }

  /** Maps a failure of a local request to the status a client sees. */
  static StatusRuntimeException of(Throwable t, boolean write, LeaderDirectory leaders) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (cause instanceof TimeoutException) {
      return error(Status.DEADLINE_EXCEEDED.withDescription(write
          ? "not committed in time: the write may or may not be applied"
          : "read not confirmed in time"), write, null, null);
    }
    if (cause instanceof RequestException re) {
      return switch (re.kind()) {
        case NOT_LEADER -> error(Status.FAILED_PRECONDITION.withDescription(re.getMessage()), false,
            re.leader(), leaders.clientAddress(re.leader()));
        case UNAVAILABLE, TRANSFERRING, DROPPED -> error(Status.UNAVAILABLE.withDescription(re.getMessage()), false, null, null);
        case TIMEOUT -> error(Status.DEADLINE_EXCEEDED.withDescription(re.getMessage()), write, null, null);
        case STOPPED -> error(Status.UNAVAILABLE.withDescription(re.getMessage()), write, null, null);
        case STALE_SEQUENCE -> error(Status.FAILED_PRECONDITION.withDescription(re.getMessage()), false, null, null);
      };
    }
    return error(Status.INTERNAL.withDescription(cause.toString()), write, null, null);
  }
}
