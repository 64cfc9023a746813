package io.raftlab.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.raftlab.core.Config;
import io.raftlab.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every runtime parameter of a node. Values come from a YAML file, overridden by command-line
 * flags of the same names; every bad value is refused with its name and allowed range. The
 * table in {@link #PARAMETERS} is the single list: flags, YAML keys, defaults and the admin
 * service's configuration dump all come from it.
 */
public final class ServerConfig {

  public static final List<Parameter> PARAMETERS = List.of(
      new Parameter("id", "", "this node's id (one of the members)", raw -> raw),
      new Parameter("data-dir", "", "data directory (write-ahead log, hard state, ports file); locked by one node", raw -> raw),
      new Parameter("listen-host", "127.0.0.1", "address to listen on", raw -> raw),
      new Parameter("peer-port", "0", "port for other nodes (0: pick a free one)", Parameter.longIn("peer-port", 0, 65535)),
      new Parameter("client-port", "0", "port for clients and admin (0: pick a free one)", Parameter.longIn("client-port", 0, 65535)),
      new Parameter("metrics-port", "0", "port of the Prometheus /metrics endpoint (0: pick a free one, -1: off)", Parameter.longIn("metrics-port", -1, 65535)),
      new Parameter("tick-millis", "10", "length of one core tick in ms", Parameter.longIn("tick-millis", 1, 10_000)),
      new Parameter("election-timeout-min-millis", "1000", "lower bound of the randomized election timeout (ms)", Parameter.longIn("election-timeout-min-millis", 1, 600_000)),
      new Parameter("election-timeout-max-millis", "2000", "upper bound of the randomized election timeout (ms)", Parameter.longIn("election-timeout-max-millis", 1, 600_000)),
      new Parameter("heartbeat-millis", "100", "leader heartbeat interval (ms); must be below the election timeout", Parameter.longIn("heartbeat-millis", 1, 600_000)),
      new Parameter("request-timeout-millis", "5000", "how long a client request may wait to commit or confirm a read (ms)", Parameter.longIn("request-timeout-millis", 1, 3_600_000)),
      new Parameter("max-inflight-appends", "256", "unacknowledged AppendEntries per follower", Parameter.longIn("max-inflight-appends", 1, 100_000)),
      new Parameter("max-entries-per-append", "1024", "entries in one AppendEntries", Parameter.longIn("max-entries-per-append", 1, 1_000_000)),
      new Parameter("max-bytes-per-append", "1m", "bytes of entries in one AppendEntries", Parameter.longIn("max-bytes-per-append", 1, 64L << 20)),
      new Parameter("max-key-bytes", "1024", "largest key (UTF-8 bytes)", Parameter.longIn("max-key-bytes", 1, 1 << 20)),
      new Parameter("max-value-bytes", "1m", "largest value (UTF-8 bytes)", Parameter.longIn("max-value-bytes", 0, 16L << 20)),
      new Parameter("fsync", "always", "always: fsync every batch (safe); never: no fsync (UNSAFE, experiments only)", Parameter.oneOf("fsync", "always", "never")),
      new Parameter("network-threads", "0", "event-loop threads for the node's connections, peers and clients alike (0: one per core, at least 2)", Parameter.longIn("network-threads", 0, 256)),
      new Parameter("segment-bytes", "64m", "write-ahead log segment size", Parameter.longIn("segment-bytes", 256, 1L << 30)),
      new Parameter("pre-vote", "true", "pre-vote phase before elections", Parameter.bool("pre-vote")),
      new Parameter("check-quorum", "true", "leader steps down without a quorum; followers ignore disruptive candidates", Parameter.bool("check-quorum")),
      new Parameter("lease-read", "false", "answer reads from a leader lease instead of a heartbeat round (needs check-quorum and bounded clock drift)", Parameter.bool("lease-read")),
      new Parameter("follower-mode", "forward", "forward: followers forward client requests to the leader; redirect: they answer NOT_LEADER with its address", Parameter.oneOf("follower-mode", "forward", "redirect")),
      new Parameter("session-ttl-millis", "600000", "idle time after which a client session expires (replicated time)", Parameter.longIn("session-ttl-millis", 1000, 30L * 24 * 3600 * 1000)),
      new Parameter("unsafe", "false", "allow configurations known to be unsafe or to hurt availability (tests only)", Parameter.bool("unsafe")));

  private final Map<String, Object> values;
  private final List<Member> members;

  private ServerConfig(Map<String, Object> values, List<Member> members) {
    this.values = values;
    this.members = List.copyOf(members);
    validate();
  }

  /** Builds from raw values (YAML or flags): unknown names are refused, missing ones take defaults. */
  public static ServerConfig of(Map<String, String> raw, List<Member> members) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : PARAMETERS) {
      byName.put(p.name(), p);
    }
    for (String name : raw.keySet()) {
      if (!byName.containsKey(name)) {
        throw new ServerConfigException(name + ": unknown parameter (known: " + String.join(", ", byName.keySet()) + ", members)");
      }
    }
    for (Parameter p : PARAMETERS) {
      String v = raw.getOrDefault(p.name(), p.defaultValue());
      values.put(p.name(), p.parse(v));
    }
    return new ServerConfig(values, members);
  }

  /** Reads a YAML file: parameter names as keys, plus {@code members: [{id, peer, client}]}. */
  public static ServerConfig load(Path yaml, Map<String, String> overrides, List<Member> memberOverrides) throws IOException {
    Map<String, String> raw = new LinkedHashMap<>();
    List<Member> members = new ArrayList<>();
    if (yaml != null) {
      JsonNode root;
      try {
        root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(yaml));
      } catch (IOException e) {
        throw new ServerConfigException("config file " + yaml + ": " + e.getMessage());
      }
      if (root != null && !root.isNull()) {
        if (!root.isObject()) {
          throw new ServerConfigException("config file " + yaml + ": expected a map of parameter names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getKey().equals("members")) {
            members.addAll(parseMembers(yaml, e.getValue()));
          } else if (e.getValue().isValueNode()) {
            raw.put(e.getKey(), e.getValue().asText());
          } else {
            throw new ServerConfigException(e.getKey() + ": expected a single value in " + yaml);
          }
        }
      }
    }
    raw.putAll(overrides);
    if (!memberOverrides.isEmpty()) {
      members = new ArrayList<>(memberOverrides);
    }
    return of(raw, members);
  }

  private static List<Member> parseMembers(Path yaml, JsonNode node) {
    if (!node.isArray()) {
      throw new ServerConfigException("members: expected a list of {id, peer, client} in " + yaml);
    }
    List<Member> out = new ArrayList<>();
    for (JsonNode m : node) {
      if (!m.hasNonNull("id") || !m.hasNonNull("peer") || !m.hasNonNull("client")) {
        throw new ServerConfigException("members: every member needs id, peer and client, got " + m + " in " + yaml);
      }
      String client = m.get("client").asText();
      out.add(new Member(m.get("id").asText(), m.get("peer").asText(), client, m.has("forward") ? m.get("forward").asText() : client));
    }
    return out;
  }

  private void validate() {
    if (id().isEmpty()) {
      throw new ServerConfigException("id: required (this node's id, one of the members)");
    }
    if (dataDir().toString().isEmpty()) {
      throw new ServerConfigException("data-dir: required");
    }
    if (members.isEmpty()) {
      throw new ServerConfigException("members: at least one member is required (--member ID=PEER_ADDRESS,CLIENT_ADDRESS)");
    }
    if (electionTimeoutMaxMillis() < electionTimeoutMinMillis()) {
      throw new ServerConfigException("election-timeout-max-millis: " + electionTimeoutMaxMillis()
          + " is below election-timeout-min-millis (" + electionTimeoutMinMillis() + ")");
    }
    if (heartbeatMillis() >= electionTimeoutMinMillis() && !unsafe()) {
      throw new ServerConfigException("heartbeat-millis: " + heartbeatMillis() + " must be below election-timeout-min-millis ("
          + electionTimeoutMinMillis() + "), or followers time out between heartbeats (set unsafe=true to run it anyway)");
    }
    if (electionTimeoutMinMillis() < tickMillis()) {
      throw new ServerConfigException("election-timeout-min-millis: " + electionTimeoutMinMillis() + " is below tick-millis (" + tickMillis() + ")");
    }
    if (leaseRead() && !checkQuorum() && !unsafe()) {
      throw new ServerConfigException("lease-read: requires check-quorum=true");
    }
    try {
      coreConfig();
    } catch (ConfigException e) {
      throw new ServerConfigException(e.getMessage());
    }
  }

  /** The core's view, with times turned into ticks. */
  public Config coreConfig() {
    List<String> ids = new ArrayList<>();
    for (Member m : members) {
      ids.add(m.id());
    }
    int min = (int) Math.max(1, electionTimeoutMinMillis() / tickMillis());
    int max = (int) Math.max(min, electionTimeoutMaxMillis() / tickMillis());
    int hb = (int) Math.max(1, heartbeatMillis() / tickMillis());
    return Config.builder(id(), ids)
        .electionTicks(min, max)
        .heartbeatTicks(hb)
        .maxInflightAppends((int) longValue("max-inflight-appends"))
        .maxEntriesPerAppend((int) longValue("max-entries-per-append"))
        .maxBytesPerAppend(longValue("max-bytes-per-append"))
        .preVote(preVote())
        .checkQuorum(checkQuorum())
        .leaseRead(leaseRead())
        .unsafe(unsafe())
        .build();
  }

  private long longValue(String name) {
    return (Long) values.get(name);
  }

  private boolean boolValue(String name) {
    return (Boolean) values.get(name);
  }

  public String id() { return (String) values.get("id"); }
  public Path dataDir() { return Path.of((String) values.get("data-dir")); }
  public String listenHost() { return (String) values.get("listen-host"); }
  public int peerPort() { return (int) longValue("peer-port"); }
  public int clientPort() { return (int) longValue("client-port"); }
  public int metricsPort() { return (int) longValue("metrics-port"); }
  public long tickMillis() { return longValue("tick-millis"); }
  public long electionTimeoutMinMillis() { return longValue("election-timeout-min-millis"); }
  public long electionTimeoutMaxMillis() { return longValue("election-timeout-max-millis"); }
  public long heartbeatMillis() { return longValue("heartbeat-millis"); }
  public long requestTimeoutMillis() { return longValue("request-timeout-millis"); }
  public int maxKeyBytes() { return (int) longValue("max-key-bytes"); }
  public int maxValueBytes() { return (int) longValue("max-value-bytes"); }
  public boolean fsyncAlways() { return "always".equals(values.get("fsync")); }
  public long segmentBytes() { return longValue("segment-bytes"); }
  /** The configured count, or one per core (at least two) for 0. */
  public int networkThreads() {
    long n = longValue("network-threads");
    return n > 0 ? (int) n : Math.max(2, Runtime.getRuntime().availableProcessors());
  }
  public boolean preVote() { return boolValue("pre-vote"); }
  public boolean checkQuorum() { return boolValue("check-quorum"); }
  public boolean leaseRead() { return boolValue("lease-read"); }
  public boolean forwardToLeader() { return "forward".equals(values.get("follower-mode")); }
  public long sessionTtlMillis() { return longValue("session-ttl-millis"); }
  public boolean unsafe() { return boolValue("unsafe"); }
  public List<Member> members() { return members; }

  public Member member(String memberId) {
    for (Member m : members) {
      if (m.id().equals(memberId)) {
        return m;
      }
    }
    return null;
  }

  /** Every effective value by name, for the admin service and the startup log. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, String.valueOf(v)));
    out.put("members", members.toString());
    return Collections.unmodifiableMap(out);
  }
}
