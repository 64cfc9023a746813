package io.raftlab.chaos.adapter.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to run some Raft implementation, read from a YAML file:
 *
 * <pre>
 * name: myraft
 * command: [/opt/myraft/bin/node, --id, "{id}", --data, "{dataDir}", --port, "{clientPort}",
 *           --raft-port, "{peerPort}", --peers, "{peers}"]
 * each-member: []                 # optional: arguments repeated per member where "{each-member}" stands
 * setting: ["--{name}", "{value}"] # how one entry of --set name=value becomes arguments
 * ready: {tcp: client, timeout: 60s}   # or {log: "regex"}
 * client: raftlab                 # the client protocol: raftlab's gRPC API, or a KvClientFactory class name
 * inspection: raftlab             # raftlab's admin API (leader, states) or none
 * </pre>
 *
 * Placeholders in {@code command}: {id}, {dataDir}, {host}, {clientPort}, {peerPort},
 * {clientAddress}, {peerAddress}, {peers} (the other members as {@code ID=ADDRESS}, comma separated,
 * each address a toolkit proxy of the link from this node to that member); in {@code each-member}:
 * {memberId}, {memberPeerAddress} (a proxy for others, the node's own peer address for itself) and
 * {memberClientAddress}. {@code ${NAME}} is replaced from the environment (or the variables given).
 */
public record ImplementationSpec(
    Path source,
    String name,
    List<String> command,
    List<String> eachMember,
    List<String> setting,
    ReadyCheck ready,
    String client,
    String inspection) {

  /** When a started node counts as ready: its client or peer port accepts connections, or its log matches. */
  public record ReadyCheck(String tcp, Pattern log, Duration timeout) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KEYS = Set.of("name", "command", "each-member", "setting", "ready", "client", "inspection");
  private static final Set<String> PLACEHOLDERS = Set.of("id", "dataDir", "host", "clientPort", "peerPort", "clientAddress",
      "peerAddress", "peers", "each-member", "memberId", "memberPeerAddress", "memberClientAddress", "name", "value");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z-]+)}");

  public static ImplementationSpec load(Path file) throws IOException {
    return load(file, System.getenv());
  }

  /** Reads and checks a spec; every problem names the file and the key. */
  public static ImplementationSpec load(Path file, Map<String, String> variables) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new SpecException(file + ": no such implementation spec file");
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new SpecException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SpecException(file + ": expected a mapping with keys " + KEYS);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new SpecException(file + ": unknown key '" + k + "'; known keys: " + KEYS);
      }
    }
    String name = text(file, root, "name", null);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new SpecException(file + ": name: '" + name + "' must be letters, digits, '.', '_' or '-'");
    }
    List<String> command = list(file, root, "command", variables, true);
    List<String> eachMember = list(file, root, "each-member", variables, false);
    List<String> setting = root.has("setting") ? list(file, root, "setting", variables, true) : List.of("--{name}", "{value}");
    JsonNode r = root.get("ready");
    String tcp = "client";
    Pattern log = null;
    Duration timeout = Duration.ofSeconds(60);
    if (r != null) {
      if (!r.isObject()) {
        throw new SpecException(file + ": ready: expected a mapping like {tcp: client, timeout: 60s}");
      }
      tcp = r.has("tcp") ? r.get("tcp").asText() : (r.has("log") ? null : "client");
      if (tcp != null && !tcp.equals("client") && !tcp.equals("peer")) {
        throw new SpecException(file + ": ready.tcp: '" + tcp + "' must be client or peer");
      }
      if (r.has("log")) {
        log = Pattern.compile(r.get("log").asText());
      }
      if (r.has("timeout")) {
        timeout = duration(file, r.get("timeout").asText());
      }
    }
    String client = text(file, root, "client", "raftlab");
    String inspection = text(file, root, "inspection", "none");
    if (!inspection.equals("raftlab") && !inspection.equals("none")) {
      throw new SpecException(file + ": inspection: '" + inspection + "' must be raftlab or none");
    }
    return new ImplementationSpec(file, name, command, eachMember, setting, new ReadyCheck(tcp, log, timeout), client, inspection);
  }

  private static String text(Path file, JsonNode root, String key, String fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      if (fallback == null) {
        throw new SpecException(file + ": " + key + ": missing");
      }
      return fallback;
    }
    if (!n.isValueNode()) {
      throw new SpecException(file + ": " + key + ": expected a single value");
    }
    return n.asText();
  }

  private static List<String> list(Path file, JsonNode root, String key, Map<String, String> variables, boolean required) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw new SpecException(file + ": " + key + ": missing (a list of arguments)");
      }
      return List.of();
    }
    if (!n.isArray() || (required && n.isEmpty())) {
      throw new SpecException(file + ": " + key + ": expected a non-empty list of arguments");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isValueNode()) {
        throw new SpecException(file + ": " + key + ": every argument must be a single value, got " + e);
      }
      String arg = substitute(file, key, e.asText(), variables);
      Matcher m = PLACEHOLDER.matcher(arg);
      while (m.find()) {
        if (!PLACEHOLDERS.contains(m.group(1))) {
          throw new SpecException(file + ": " + key + ": unknown placeholder {" + m.group(1) + "}; known: " + PLACEHOLDERS);
        }
      }
      out.add(arg);
    }
    return List.copyOf(out);
  }

  private static String substitute(Path file, String key, String arg, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(arg);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new SpecException(file + ": " + key + ": variable ${" + m.group(1) + "} is not set in the environment");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Duration duration(Path file, String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(text.trim());
    if (!m.matches()) {
      throw new SpecException(file + ": ready.timeout: '" + text + "' must look like 500ms, 60s or 2m");
    }
    long v = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(v);
      case "s" -> Duration.ofSeconds(v);
      default -> Duration.ofMinutes(v);
    };
  }
}
