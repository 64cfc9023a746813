package io.raftlab.chaos.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings an etcd cluster accepts in {@code ClusterRequest.settings()}, checked: times in
 * milliseconds as etcd's own flags take them. {@code binary} is the etcd executable (default:
 * {@code etcd} on PATH).
 */
public record EtcdSettings(int heartbeatMillis, int electionTimeoutMillis, long snapshotCount, boolean preVote, Path binary) {

  public static final Set<String> NAMES = new TreeSet<>(List.of("heartbeat-interval", "election-timeout", "snapshot-count", "pre-vote", "binary"));

  /** Parses {@code settings}; an unknown name or bad value is an IllegalArgumentException naming it. */
  public static EtcdSettings parse(Map<String, String> settings) {
    for (String k : settings.keySet()) {
      if (!NAMES.contains(k)) {
        throw new IllegalArgumentException("etcd setting '" + k + "' is unknown; allowed: " + NAMES);
      }
    }
    int heartbeat = intSetting(settings, "heartbeat-interval", 100, 1, 10_000);
    int election = intSetting(settings, "election-timeout", 1000, 1, 50_000);
    if (election < 5 * heartbeat) {
      throw new IllegalArgumentException("election-timeout (" + election + " ms) must be at least 5 x heartbeat-interval (" + heartbeat + " ms), as etcd requires");
    }
    long snapshots = intSetting(settings, "snapshot-count", 100_000, 1, Integer.MAX_VALUE);
    String pv = settings.getOrDefault("pre-vote", "false");
    if (!pv.equals("true") && !pv.equals("false")) {
      throw new IllegalArgumentException("pre-vote: 'true' or 'false', got '" + pv + "'");
    }
    Path binary = settings.containsKey("binary") ? Path.of(settings.get("binary")) : findEtcd();
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("etcd binary '" + binary + "' is not an executable file");
    }
    return new EtcdSettings(heartbeat, election, snapshots, Boolean.parseBoolean(pv), binary);
  }

  private static int intSetting(Map<String, String> s, String name, int dflt, int min, int max) {
    String v = s.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + ": must be " + min + ".." + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not an integer: '" + v + "'");
    }
  }

  /** The etcd on PATH (or /usr/bin, /usr/local/bin); a clear error when there is none. */
  public static Path findEtcd() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin"));
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "etcd"))) {
        return Path.of(d, "etcd");
      }
    }
    throw new IllegalStateException("etcd is not installed: no 'etcd' on PATH. Install it (Debian: apt-get install -y etcd-server) or pass the setting binary=/path/to/etcd");
  }

  /** The flags these settings become. */
  List<String> flags() {
    return List.of("--heartbeat-interval", String.valueOf(heartbeatMillis), "--election-timeout", String.valueOf(electionTimeoutMillis),
        "--snapshot-count", String.valueOf(snapshotCount), "--pre-vote=" + preVote);
  }
}
