package io.raftlab.client;

import java.util.List;
import java.util.Optional;

/**
 * A key-value call that did not get an answer. {@link #outcome()} says whether the request can
 * have changed the store, which is what a linearizability checker needs: a failed write is
 * {@link Outcome#DEFINITELY_NOT_APPLIED} only when no attempt could have been applied, and
 * {@link Outcome#UNKNOWN} otherwise. A failed read never changes the store, so it is always
 * DEFINITELY_NOT_APPLIED.
 */
public final class KvException extends RuntimeException {

  public enum Outcome {
    /** No attempt can have taken effect (or the call was a read). */
    DEFINITELY_NOT_APPLIED,
    /** Some attempt may have been applied, or may still be applied later. */
    UNKNOWN
  }

  /** Why the client stopped trying. */
  public enum Reason {
    /** The server rejected the input (INVALID_ARGUMENT); not retried. */
    INVALID_ARGUMENT,
    /** The server no longer knows the session; the client has started a new one for later writes. */
    SESSION_EXPIRED,
    /** {@link ClientOptions#maxAttempts()} RPCs failed. */
    ATTEMPTS_EXHAUSTED,
    /** {@link ClientOptions#totalDeadline()} ran out (possibly before the write slot was free). */
    DEADLINE_EXHAUSTED,
    /** The calling thread was interrupted; its interrupt flag is set again. */
    INTERRUPTED,
    /** A status the client does not retry (INTERNAL, UNIMPLEMENTED, ...). */
    SERVER_ERROR
  }

  private final String operation;
  private final String key;
  private final Outcome outcome;
  private final Reason reason;
  private final List<Attempt> attempts;
  private final String clientId;
  private final long sequence;

  KvException(
      String operation,
      String key,
      Outcome outcome,
      Reason reason,
      List<Attempt> attempts,
      String clientId,
      long sequence,
      String detail) {
    super(describe(operation, key, outcome, reason, attempts, clientId, sequence, detail));
    this.operation = operation;
    this.key = key;
    this.outcome = outcome;
    this.reason = reason;
    this.attempts = List.copyOf(attempts);
    this.clientId = clientId;
    this.sequence = sequence;
  }

  /** "get", "put", "delete" or "cas". */
  public String operation() {
    return operation;
  }

  public String key() {
    return key;
  }

  public Outcome outcome() {
    return outcome;
  }

  public Reason reason() {
    return reason;
  }

  /** Every RPC of the call, in order (empty if none was started). */
  public List<Attempt> attempts() {
    return attempts;
  }

  public Optional<Attempt> lastAttempt() {
    return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
  }

  /** The session the write used; null for reads. */
  public String clientId() {
    return clientId;
  }

  /** The write's sequence number in its session; 0 for reads. */
  public long sequence() {
    return sequence;
  }

  /** Put, delete or cas (even if it failed before a sequence number was assigned). */
  public boolean isWrite() {
    return !operation.equals("get");
  }

  private static String describe(
      String operation,
      String key,
      Outcome outcome,
      Reason reason,
      List<Attempt> attempts,
      String clientId,
      long sequence,
      String detail) {
    StringBuilder sb = new StringBuilder();
    sb.append(operation).append(" '").append(key).append("'");
    if (sequence > 0) {
      sb.append(" (session ").append(clientId).append(" #").append(sequence).append(')');
    }
    sb.append(": ");
    sb.append(outcome == Outcome.UNKNOWN ? "outcome UNKNOWN" : operation.equals("get") ? "failed" : "NOT applied");
    sb.append(", ").append(reason);
    if (detail != null) {
      sb.append(" (").append(detail).append(')');
    }
    sb.append(" after ").append(attempts.size()).append(attempts.size() == 1 ? " attempt" : " attempts");
    if (!attempts.isEmpty()) {
      sb.append("; last: ").append(attempts.get(attempts.size() - 1));
    }
    return sb.toString();
  }
}
