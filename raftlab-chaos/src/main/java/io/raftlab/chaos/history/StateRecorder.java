package io.raftlab.chaos.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes {@code states.jsonl}: on a timer it asks for every node's role, term and commit index
 * (DOWN for a node that does not answer) and writes a line whenever a node's role or term
 * changes, on the history's clock, for the report's role lanes.
 */
public final class StateRecorder implements AutoCloseable {

  /** One node as inspection saw it. */
  public record NodeView(String node, String role, long term, long commit) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Supplier<List<NodeView>> inspect;
  private final BufferedWriter out;
  private final Thread thread;
  private final Map<String, String> last = new HashMap<>();
  private volatile boolean running = true;

  /** What each node of a raftlab cluster says through inspection; DOWN when it does not answer. */
  public static List<NodeView> inspect(io.raftlab.server.launch.LocalCluster cluster, Duration timeout) {
    List<NodeView> out = new java.util.ArrayList<>();
    for (String id : cluster.ids()) {
      out.add(cluster.state(id, timeout)
          .map(s -> new NodeView(id, s.getRole(), s.getTerm(), s.getCommitIndex()))
          .orElse(new NodeView(id, "DOWN", 0, 0)));
    }
    return out;
  }

  /** Starts sampling at once, every {@code every}. */
  public StateRecorder(Path file, Duration every, Supplier<List<NodeView>> inspect) throws IOException {
    this.inspect = inspect;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.thread = new Thread(() -> {
      while (running) {
        sampleOnce();
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "state-recorder");
    thread.setDaemon(true);
    thread.start();
  }

  private void sampleOnce() {
    for (NodeView v : inspect.get()) {
      String key = v.role() + "/" + v.term();
      if (key.equals(last.put(v.node(), key))) {
        continue;
      }
      ObjectNode n = JSON.createObjectNode();
      n.put("time", System.nanoTime());
      n.put("node", v.node());
      n.put("role", v.role());
      n.put("term", v.term());
      n.put("commit", v.commit());
      try {
        synchronized (out) {
          out.write(JSON.writeValueAsString(n));
          out.write('\n');
        }
      } catch (IOException e) {
        running = false;
      }
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (out) {
      out.close();
    }
  }
}
