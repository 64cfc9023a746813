package io.raftlab.client;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * One RPC a {@link RaftlabClient} sent (or tried to send) while serving one call, and what it
 * proves about the request.
 *
 * @param endpoint the node the RPC was addressed to
 * @param kind what the failure means for routing and retrying
 * @param code the gRPC status code
 * @param description the status description (server's text or the transport's)
 * @param requestLeftClient whether a stream was created on a transport, i.e. whether the request
 *     may have reached the node; false proves the node never saw it
 * @param mayHaveBeenApplied whether this attempt could have changed the store; always false for reads
 * @param leaderHint the leader's client address from a NOT_LEADER answer, or null
 * @param leaderIdHint the leader's id from a NOT_LEADER answer, or null
 */
public record Attempt(
    EndpointAddress endpoint,
    Kind kind,
    Status.Code code,
    String description,
    boolean requestLeftClient,
    boolean mayHaveBeenApplied,
    EndpointAddress leaderHint,
    String leaderIdHint) {

  /** What a failed RPC means. */
  public enum Kind {
    /** FAILED_PRECONDITION "NOT_LEADER": the node refused without proposing. */
    NOT_LEADER,
    /**
     * UNAVAILABLE that the server marked {@code raftlab-outcome: not-applied} (no leader known,
     * node stopping, leadership transfer, proposal dropped).
     */
    REFUSED,
    /** UNAVAILABLE for any other reason (no connection, connection lost, forwarded answer lost). */
    UNAVAILABLE,
    /** DEADLINE_EXCEEDED, from the client's own deadline or the server's commit timeout. */
    TIMEOUT,
    /** INVALID_ARGUMENT: the node rejected the input; retrying cannot help. */
    INVALID_ARGUMENT,
    /** FAILED_PRECONDITION "SESSION_EXPIRED": the node no longer knows this session. */
    SESSION_EXPIRED,
    /** The calling thread was interrupted and the RPC cancelled. */
    INTERRUPTED,
    /** Any other status; not retried. */
    OTHER
  }

  static final Metadata.Key<String> LEADER_ID_KEY =
      Metadata.Key.of("raftlab-leader-id", Metadata.ASCII_STRING_MARSHALLER);
  /** The server's verdict on an error it generated: "not-applied" or "unknown". */
  static final Metadata.Key<String> OUTCOME_KEY =
      Metadata.Key.of("raftlab-outcome", Metadata.ASCII_STRING_MARSHALLER);
  static final String OUTCOME_NOT_APPLIED = "not-applied";
  static final Metadata.Key<String> LEADER_ADDRESS_KEY =
      Metadata.Key.of("raftlab-leader-address", Metadata.ASCII_STRING_MARSHALLER);

  /** Whether another attempt could succeed where this one failed. */
  public boolean retryable() {
    return switch (kind) {
      case NOT_LEADER, REFUSED, UNAVAILABLE, TIMEOUT -> true;
      case INVALID_ARGUMENT, SESSION_EXPIRED, INTERRUPTED, OTHER -> false;
    };
  }

  /**
   * Classifies a failed RPC. The request was certainly not applied only if it never left the
   * client (no stream was created), or the server said so: its {@code raftlab-outcome} trailer is
   * "not-applied", or, without that trailer, it answered NOT_LEADER or INVALID_ARGUMENT (which the
   * contract defines as refusals before proposing). Anything else may have been applied.
   */
  static Attempt classify(
      EndpointAddress endpoint,
      Status status,
      Metadata trailers,
      boolean requestLeftClient,
      boolean write,
      boolean interrupted) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    Status.Code code = status.getCode();
    String serverOutcome = trailers == null ? null : trailers.get(OUTCOME_KEY);
    Kind kind;
    if (interrupted) {
      kind = Kind.INTERRUPTED;
    } else if (code == Status.Code.FAILED_PRECONDITION && description.startsWith("NOT_LEADER")) {
      kind = Kind.NOT_LEADER;
    } else if (code == Status.Code.FAILED_PRECONDITION && description.startsWith("SESSION_EXPIRED")) {
      kind = Kind.SESSION_EXPIRED;
    } else if (code == Status.Code.INVALID_ARGUMENT) {
      kind = Kind.INVALID_ARGUMENT;
    } else if (code == Status.Code.UNAVAILABLE && OUTCOME_NOT_APPLIED.equals(serverOutcome)) {
      kind = Kind.REFUSED;
    } else if (code == Status.Code.UNAVAILABLE) {
      kind = Kind.UNAVAILABLE;
    } else if (code == Status.Code.DEADLINE_EXCEEDED) {
      kind = Kind.TIMEOUT;
    } else {
      kind = Kind.OTHER;
    }
    boolean refusedBeforeProposing;
    if (kind == Kind.INTERRUPTED) {
      refusedBeforeProposing = false;
    } else if (serverOutcome != null) {
      // The server's own statement; anything but an explicit "not-applied" counts as maybe.
      refusedBeforeProposing = OUTCOME_NOT_APPLIED.equals(serverOutcome);
    } else {
      // No outcome trailer: only answers the contract defines as pre-proposal refusals prove anything.
      refusedBeforeProposing = kind == Kind.NOT_LEADER || kind == Kind.INVALID_ARGUMENT;
    }
    boolean mayHaveBeenApplied = write && requestLeftClient && !refusedBeforeProposing;
    EndpointAddress hint = parseHint(trailers);
    String hintId = trailers == null ? null : blankToNull(trailers.get(LEADER_ID_KEY));
    return new Attempt(
        endpoint, kind, code, description, requestLeftClient, mayHaveBeenApplied, hint, hintId);
  }

  private static EndpointAddress parseHint(Metadata trailers) {
    if (trailers == null) {
      return null;
    }
    String address = blankToNull(trailers.get(LEADER_ADDRESS_KEY));
    if (address == null) {
      return null;
    }
    try {
      return EndpointAddress.parse(address, "trailer raftlab-leader-address");
    } catch (IllegalArgumentException malformed) {
      // A hint we cannot use is the same as no hint: fall back to trying the other endpoints.
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(endpoint).append(' ').append(code);
    if (!description.isEmpty()) {
      sb.append(" \"").append(description).append('"');
    }
    if (leaderHint != null) {
      sb.append(" (leader ").append(leaderIdHint == null ? "?" : leaderIdHint).append(" at ").append(leaderHint).append(')');
    }
    if (!requestLeftClient) {
      sb.append(" [never sent]");
    } else if (mayHaveBeenApplied) {
      sb.append(" [may have been applied]");
    }
    return sb.toString();
  }
}
