package io.raftlab.chaos.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes fault events ({@code nemesis.jsonl}): a start and a stop per fault, on the history's clock. */
public final class NemesisRecorder implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedWriter out;
  private int faults;

  public NemesisRecorder(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  public synchronized void start(String fault, List<String> nodes, String detail) throws IOException {
    faults++;
    write("start", fault, nodes, detail);
  }

  public synchronized void stop(String fault, List<String> nodes, String detail) throws IOException {
    write("stop", fault, nodes, detail);
  }

  private void write(String type, String fault, List<String> nodes, String detail) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", System.nanoTime());
    n.put("type", type);
    n.put("fault", fault);
    var arr = n.putArray("nodes");
    nodes.forEach(arr::add);
    n.put("detail", detail);
    out.write(JSON.writeValueAsString(n));
    out.write('\n');
    out.flush();
  }

  public synchronized int faultCount() {
    return faults;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
