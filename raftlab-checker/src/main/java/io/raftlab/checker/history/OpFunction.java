package io.raftlab.checker.history;

import java.util.Locale;

/** What an operation does to its key. */
public enum OpFunction {
  READ,
  WRITE,
  CAS,
  DELETE;

  /** The lower-case name used in histories ("read", "write", "cas", "delete"). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; returns null when the name is not one of read|write|cas|delete. */
  public static OpFunction fromWireName(String name) {
    for (OpFunction f : values()) {
      if (f.wireName().equals(name)) {
        return f;
      }
    }
    return null;
  }
}
