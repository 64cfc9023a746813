package io.raftlab.chaos.adapter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The implementations the command line can name, e.g. {@code --impl raftlab}. */
public final class Implementations {

  private static final Map<String, Supplier<Implementation>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("raftlab", RaftlabImplementation::new);
    // Further adapters register here, one line each, e.g. KNOWN.put("etcd", EtcdImplementation::new);
  }

  private Implementations() {}

  /** The names {@link #byName} accepts, in registration order. */
  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }

  /** A new instance of the named implementation. */
  public static Implementation byName(String name) {
    Supplier<Implementation> s = KNOWN.get(name == null ? "" : name.trim());
    if (s == null) {
      throw new IllegalArgumentException("--impl: unknown implementation '" + name + "'; known: " + String.join(", ", names()));
    }
    return s.get();
  }
}
