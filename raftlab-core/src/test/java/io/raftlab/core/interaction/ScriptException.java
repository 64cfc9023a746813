package io.raftlab.core.interaction;

/** A script that cannot be run as written: unknown command, bad argument, misplaced output. */
final class ScriptException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ScriptException(String message) {
    super(message);
  }
}
