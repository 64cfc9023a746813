package io.raftlab.chaos.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a client history as JSON Lines in the Jepsen vocabulary ({@code history.jsonl}): one
 * {@code invoke} event when an operation starts and one {@code ok}, {@code fail} (certainly not
 * applied) or {@code info} (outcome unknown) when it ends. Times are {@link System#nanoTime()},
 * the clock the nemesis and state logs use too. Safe for concurrent clients.
 */
public final class HistoryRecorder implements Closeable {

  public enum Outcome { OK, FAIL, INFO }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedWriter out;
  private long ok;
  private long fail;
  private long info;

  public HistoryRecorder(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  /** Records the start of an operation; {@code value} is the write's value or [expected, new] for cas. */
  public void invoke(int process, String f, String key, Object value, String node) {
    write(event(process, "invoke", f, key, value, node));
  }

  /** Records the end; for an ok read {@code value} is what was read (null if absent). */
  public void complete(int process, Outcome outcome, String f, String key, Object value, String node) {
    synchronized (this) {
      switch (outcome) {
        case OK -> ok++;
        case FAIL -> fail++;
        case INFO -> info++;
      }
    }
    write(event(process, outcome.name().toLowerCase(), f, key, value, node));
  }

  private static ObjectNode event(int process, String type, String f, String key, Object value, String node) {
    ObjectNode n = JSON.createObjectNode();
    n.put("process", process);
    n.put("type", type);
    n.put("f", f);
    n.put("key", key);
    if (value == null) {
      n.putNull("value");
    } else if (value instanceof List<?> pair) {
      var arr = n.putArray("value");
      for (Object o : pair) {
        if (o == null) {
          arr.addNull();
        } else {
          arr.add(o.toString());
        }
      }
    } else {
      n.put("value", value.toString());
    }
    n.put("time", System.nanoTime());
    if (node != null) {
      n.put("node", node);
    }
    return n;
  }

  private synchronized void write(ObjectNode n) {
    try {
      out.write(JSON.writeValueAsString(n));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized long okCount() {
    return ok;
  }

  public synchronized long failCount() {
    return fail;
  }

  public synchronized long infoCount() {
    return info;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
