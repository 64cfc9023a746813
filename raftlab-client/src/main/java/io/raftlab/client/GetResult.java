package io.raftlab.client;

import java.util.Optional;

/** The value of a key, or empty if the key does not exist. */
public record GetResult(String key, Optional<String> value, ResponseInfo info) {
  public boolean found() {
    return value.isPresent();
  }
}
