package io.raftlab.core;

/** A configuration value out of range; the message names the parameter and what is allowed. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
