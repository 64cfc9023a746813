package io.raftlab.chaos.adapter.spec;

/** An implementation spec that cannot be used; the message names the file and the key. */
public final class SpecException extends IllegalArgumentException {
  public SpecException(String message) {
    super(message);
  }
}
