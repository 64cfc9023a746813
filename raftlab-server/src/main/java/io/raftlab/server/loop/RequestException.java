package io.raftlab.server.loop;

/** Why a client request was not answered with a result. The service maps each kind to a gRPC status. */
public final class RequestException extends RuntimeException {

  public enum Kind {
    /** This node is not leader; {@link #leader()} names the leader if known. Not applied. */
    NOT_LEADER,
    /** No leader known, or the node is stopping. Not applied. */
    UNAVAILABLE,
    /** A leadership transfer is in progress. Not applied. */
    TRANSFERRING,
    /** The proposal's log slot was taken by another leader's entry. Not applied. */
    DROPPED,
    /** Not committed (or read not confirmed) in time: the outcome of a write is unknown. */
    TIMEOUT,
    /** The node stopped while the request was pending: a write may still be committed by the next leader. */
    STOPPED,
    /** An old duplicate of a request the client has since moved past. Not applied. */
    STALE_SEQUENCE
  }

  private final Kind kind;
  private final String leader;

  public RequestException(Kind kind, String leader, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.leader = leader;
  }

  public Kind kind() {
    return kind;
  }

  public String leader() {
    return leader;
  }
}
