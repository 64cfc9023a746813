package io.raftlab.chaos.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Inspects every node on a timer: writes {@code states.jsonl} (a line when a node's role or term
 * changes) for the report, and feeds the leaders-per-term record of {@link NodeInspection}.
 */
final class StateSamples implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodeInspection inspection;
  private final BufferedWriter out;
  private final Thread thread;
  private final Map<String, String> last = new HashMap<>();
  private volatile boolean running = true;

  StateSamples(NodeInspection inspection, Path file, Duration every) throws IOException {
    this.inspection = inspection;
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
    }, "scenario-state-samples");
    thread.setDaemon(true);
    thread.start();
  }

  private void sampleOnce() {
    for (NodeInspection.View v : inspection.inspectAll()) {
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
