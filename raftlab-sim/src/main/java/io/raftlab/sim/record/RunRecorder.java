package io.raftlab.sim.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The run directory the HTML report reads: {@code history.jsonl} (client operations),
 * {@code nemesis.jsonl} (fault start/stop) and {@code states.jsonl} (node role/term/commit on
 * change). Lines are built in memory and written at the end, so a run does no I/O while it runs.
 */
public final class RunRecorder {

  private final StringBuilder history = new StringBuilder();
  private final StringBuilder nemesis = new StringBuilder();
  private final StringBuilder states = new StringBuilder();

  /**
   * One history event. {@code value} is null, a Long, or for cas a long[2] {expected, new}.
   */
  public void history(int process, String type, String f, String key, Object value, long time, String node) {
    history.append("{\"process\":").append(process)
        .append(",\"type\":\"").append(type)
        .append("\",\"f\":\"").append(f)
        .append("\",\"key\":\"").append(key)
        .append("\",\"value\":");
    if (value instanceof long[] pair) {
      history.append('[').append(pair[0]).append(',').append(pair[1]).append(']');
    } else {
      history.append(value == null ? "null" : value.toString());
    }
    history.append(",\"time\":").append(time).append(",\"node\":\"").append(node).append("\"}\n");
  }

  /** A fault starting or stopping; {@code links} (directed, may be empty) only for partitions. */
  public void nemesis(long time, String type, String fault, List<String> nodes, List<String[]> links) {
    nemesis.append("{\"time\":").append(time).append(",\"type\":\"").append(type)
        .append("\",\"fault\":\"").append(fault).append("\",\"nodes\":[");
    for (int i = 0; i < nodes.size(); i++) {
      nemesis.append(i == 0 ? "" : ",").append('"').append(nodes.get(i)).append('"');
    }
    nemesis.append(']');
    if (links != null && !links.isEmpty()) {
      nemesis.append(",\"links\":[");
      for (int i = 0; i < links.size(); i++) {
        nemesis.append(i == 0 ? "" : ",").append("[\"").append(links.get(i)[0]).append("\",\"")
            .append(links.get(i)[1]).append("\"]");
      }
      nemesis.append(']');
    }
    nemesis.append("}\n");
  }

  /** A node's state after a change; role is a core Role name, or DOWN while crashed. */
  public void state(long time, String node, String role, long term, long commit) {
    states.append("{\"time\":").append(time).append(",\"node\":\"").append(node).append("\",\"role\":\"")
        .append(role).append("\",\"term\":").append(term).append(",\"commit\":").append(commit).append("}\n");
  }

  public String historyJsonl() {
    return history.toString();
  }

  public String nemesisJsonl() {
    return nemesis.toString();
  }

  public String statesJsonl() {
    return states.toString();
  }

  /** Writes the three files into {@code dir}, creating it if needed. */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("history.jsonl"), history, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("nemesis.jsonl"), nemesis, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("states.jsonl"), states, StandardCharsets.UTF_8);
  }
}
