package io.raftlab.core;

/**
 * What happened to a proposal. Only ACCEPTED means it was appended to the leader's log at
 * ({@code index}, {@code term}); it is committed once an applied entry with that index and term
 * comes out of a {@link Ready}. NOT_LEADER carries the known leader (null if none) so the
 * caller can forward or redirect.
 */
public record ProposeResult(Status status, long index, long term, String leader) {

  public enum Status {
    ACCEPTED,
    NOT_LEADER,
    /** A leadership transfer is in progress; proposals are refused until it ends. */
    TRANSFERRING
  }

  public boolean accepted() {
    return status == Status.ACCEPTED;
  }
}
