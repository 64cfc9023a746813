package io.raftlab.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ports.json} in a node's data directory: the addresses it actually listens on (ports
 * may be chosen by the OS), written atomically at startup so tools and peers can find it.
 */
public final class PortsFile {

  public static final String FILE_NAME = "ports.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PortsFile() {}

  public static void write(Path dataDir, String peer, String client, String metrics, long pid) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peer", peer);
    m.put("client", client);
    m.put("metrics", metrics);
    m.put("pid", pid);
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    Files.move(tmp, dataDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The address of {@code kind} (peer, client, metrics) in the file, or null if absent or unreadable. */
  public static String read(Path file, String kind) {
    try {
      JsonNode n = JSON.readTree(file.toFile());
      JsonNode v = n == null ? null : n.get(kind);
      return v == null || v.isNull() ? null : v.asText();
    } catch (IOException e) {
      return null; // not written yet, or being replaced: the caller retries later
    }
  }

  /** Resolves {@code host:port} as is, or {@code @path} through that node's ports file. */
  public static String resolve(String address, String kind) {
    if (address.startsWith("@")) {
      return read(Path.of(address.substring(1)), kind);
    }
    return address;
  }
}
