package io.raftlab.core;

/** A message the core refuses: malformed, from a node that is not a member, or not addressed here. */
public final class InvalidMessageException extends RuntimeException {
  public InvalidMessageException(String message) {
    super(message);
  }
}
