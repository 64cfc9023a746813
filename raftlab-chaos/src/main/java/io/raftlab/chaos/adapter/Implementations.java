package io.raftlab.chaos.adapter;

import io.raftlab.chaos.adapter.spec.SpecImplementation;
import io.raftlab.chaos.etcd.EtcdImplementation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The implementations the command line can name, e.g. {@code --impl raftlab}. */
public final class Implementations {

  private static final Map<String, Supplier<Implementation>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("raftlab", RaftlabImplementation::new);
    KNOWN.put("raftlab-stream", () -> new RaftlabImplementation(true));
    KNOWN.put("etcd", EtcdImplementation::new);
    // Further built-in adapters register here, one line each.
  }

  private Implementations() {}

  /** The names {@link #byName} accepts, in registration order. */
  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }

  /** A new instance of the named implementation, or of the one a spec file ({@code *.yaml}) describes. */
  public static Implementation byName(String name) {
    String n = name == null ? "" : name.trim();
    if (n.endsWith(".yaml") || n.endsWith(".yml")) {
      try {
        return SpecImplementation.load(Path.of(n));
      } catch (IOException e) {
        throw new IllegalArgumentException("--impl: " + n + ": " + e.getMessage(), e);
      }
    }
    Supplier<Implementation> s = KNOWN.get(n);
    if (s == null) {
      throw new IllegalArgumentException("--impl: unknown implementation '" + name + "'; known: " + String.join(", ", names())
          + ", or the path of a spec file (*.yaml)");
    }
    return s.get();
  }
}
