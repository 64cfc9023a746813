package io.raftlab.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftlab.api.admin.NodeState;
import io.raftlab.server.launch.LocalCluster;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Polls every node's role, term and commit index through the admin service and writes a line to
 * {@code states.jsonl} whenever one changes (DOWN when a node does not answer), for the report's
 * role lanes.
 */
final class StateSampler implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final LocalCluster cluster;
  private final BufferedWriter out;
  private final Thread thread;
  private final Map<String, String> last = new HashMap<>();
  private volatile boolean running = true;

  StateSampler(LocalCluster cluster, Path file, Duration every) throws IOException {
    this.cluster = cluster;
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
    }, "state-sampler");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void sampleOnce() {
    for (String id : cluster.ids()) {
      Optional<NodeState> s = cluster.state(id, Duration.ofMillis(200));
      String role = s.map(NodeState::getRole).orElse("DOWN");
      long term = s.map(NodeState::getTerm).orElse(0L);
      long commit = s.map(NodeState::getCommitIndex).orElse(0L);
      String key = role + "/" + term;
      if (key.equals(last.get(id))) {
        continue;
      }
      last.put(id, key);
      ObjectNode n = JSON.createObjectNode();
      n.put("time", System.nanoTime());
      n.put("node", id);
      n.put("role", role);
      n.put("term", term);
      n.put("commit", commit);
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
  public void close() throws IOException, InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
    synchronized (out) {
      out.close();
    }
  }
}
