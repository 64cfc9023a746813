package io.raftlab.server.config;

/** A bad configuration value; the message names the parameter and what is allowed. */
public final class ServerConfigException extends IllegalArgumentException {
  public ServerConfigException(String message) {
    super(message);
  }
}
