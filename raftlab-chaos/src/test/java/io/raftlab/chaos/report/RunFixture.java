package io.raftlab.chaos.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes hand-made run directories for tests; times are given in milliseconds. */
final class RunFixture {
  private static final long MS = 1_000_000L;
  private static final long BASE = 1_700_000_000_000_000_000L; // absolute clock: only differences matter

  private final List<String> history = new ArrayList<>();
  private final List<String> nemesis = new ArrayList<>();
  private final List<String> states = new ArrayList<>();

  static long nanos(double ms) {
    return BASE + Math.round(ms * MS);
  }

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Object[] pair) {
      return "[" + value(pair[0]) + "," + value(pair[1]) + "]";
    }
    return v.toString();
  }

  private String event(int process, String type, String f, String key, Object value, double ms) {
    return String.format(Locale.ROOT, "{\"process\":%d,\"type\":\"%s\",\"f\":\"%s\",\"key\":\"%s\",\"value\":%s,\"time\":%d,\"node\":\"n%d\"}",
        process, type, f, key, type.equals("invoke") && f.equals("read") ? "null" : value(value), nanos(ms), process % 3 + 1);
  }

  /** A write of {@code value} from {@code fromMs} to {@code toMs} ending in {@code type}. */
  RunFixture write(int process, String key, Object value, double fromMs, double toMs, String type) {
    history.add(event(process, "invoke", "write", key, value, fromMs));
    history.add(event(process, type, "write", key, value, toMs));
    return this;
  }

  /** A read that returned {@code value} (when type is ok). */
  RunFixture read(int process, String key, Object value, double fromMs, double toMs, String type) {
    history.add(event(process, "invoke", "read", key, null, fromMs));
    history.add(event(process, type, "read", key, type.equals("ok") ? value : null, toMs));
    return this;
  }

  RunFixture cas(int process, String key, Object expected, Object replacement, double fromMs, double toMs, String type) {
    Object[] pair = {expected, replacement};
    history.add(event(process, "invoke", "cas", key, pair, fromMs));
    history.add(event(process, type, "cas", key, pair, toMs));
    return this;
  }

  /** An invoke that never completes. */
  RunFixture invokeOnly(int process, String f, String key, Object value, double atMs) {
    history.add(event(process, "invoke", f, key, value, atMs));
    return this;
  }

  RunFixture rawHistoryLine(String line) {
    history.add(line);
    return this;
  }

  RunFixture fault(String type, String fault, List<String> nodes, double atMs, String detail) {
    StringBuilder nodeList = new StringBuilder("[");
    for (int i = 0; i < nodes.size(); i++) {
      nodeList.append(i == 0 ? "" : ",").append('"').append(nodes.get(i)).append('"');
    }
    nemesis.add(String.format(Locale.ROOT, "{\"time\":%d,\"type\":\"%s\",\"fault\":\"%s\",\"nodes\":%s%s}",
        nanos(atMs), type, fault, nodeList.append(']'), detail == null ? "" : ",\"detail\":\"" + detail + "\""));
    return this;
  }

  RunFixture rawNemesisLine(String line) {
    nemesis.add(line);
    return this;
  }

  RunFixture state(String node, String role, long term, long commit, double atMs) {
    states.add(String.format(Locale.ROOT, "{\"time\":%d,\"node\":\"%s\",\"role\":\"%s\",\"term\":%d,\"commit\":%d}",
        nanos(atMs), node, role, term, commit));
    return this;
  }

  RunFixture rawStateLine(String line) {
    states.add(line);
    return this;
  }

  Path writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(RunDirectory.HISTORY), history, StandardCharsets.UTF_8);
    if (!nemesis.isEmpty()) {
      Files.write(dir.resolve(RunDirectory.NEMESIS), nemesis, StandardCharsets.UTF_8);
    }
    if (!states.isEmpty()) {
      Files.write(dir.resolve(RunDirectory.STATES), states, StandardCharsets.UTF_8);
    }
    return dir;
  }

  /**
   * A linearizable 3-client run of about 1.2 s on two keys with a partition and a kill, role samples
   * of a 3-node cluster, a results.json and a plan.txt.
   */
  static RunFixture linearizableRun() {
    RunFixture f = new RunFixture();
    int v = 0;
    for (int round = 0; round < 40; round++) {
      double t = round * 30.0;
      String key = round % 2 == 0 ? "k1" : "k2";
      v++;
      f.write(0, key, v, t, t + 8, "ok");
      f.read(1, key, v, t + 10, t + 14, "ok");
      if (round == 20) {
        f.write(2, key, 1000, t + 1, t + 25, "fail");
      } else {
        f.read(2, key, v, t + 16, t + 24, "ok");
      }
    }
    f.fault("start", "partition", List.of("n1"), 300, "n1 | n2,n3");
    f.fault("stop", "partition", List.of("n1"), 600, null);
    f.fault("start", "kill", List.of("n3"), 800, "SIGKILL");
    f.state("n1", "LEADER", 1, 0, 0).state("n2", "FOLLOWER", 1, 0, 0).state("n3", "FOLLOWER", 1, 0, 0);
    f.state("n1", "FOLLOWER", 1, 40, 310).state("n2", "CANDIDATE", 2, 40, 320).state("n2", "LEADER", 2, 41, 340);
    f.state("n1", "FOLLOWER", 2, 60, 610).state("n3", "DOWN", 2, 70, 800).state("n1", "FOLLOWER", 2, 120, 1190);
    return f;
  }

  static void writeExtras(Path dir) throws IOException {
    Files.writeString(dir.resolve(RunDirectory.RESULTS),
        "{\"scenario\":\"partition-leader\",\"seed\":42,\"ops\":120,\"nodes\":[\"n1\",\"n2\",\"n3\"]}");
    Files.writeString(dir.resolve("plan.txt"), "at 0.3s partition n1 | n2,n3\nat 0.6s heal\nat 0.8s kill n3 <forever>\n");
  }

  /**
   * A long linearizable run of {@code ops} operations by 20 concurrent workers, each on its own key
   * (write then read back). Every 250th read ends in info, after which the
   * worker continues as a new process (Jepsen retires a process after an unknown outcome), so the
   * run has many more processes than workers. A partition fault covers the middle fifth.
   */
  static RunFixture bigRun(int ops) {
    RunFixture f = new RunFixture();
    int workers = 20;
    int[] process = new int[workers];
    double[] clock = new double[workers];
    int reads = 0;
    for (int w = 0; w < workers; w++) {
      process[w] = w;
      clock[w] = w * 0.05;
    }
    for (int i = 0; i < ops; i++) {
      int w = i % workers;
      String key = "k" + w;
      double start = clock[w];
      double end = start + 0.5 + (i % 7) * 0.1;
      if (i / workers % 2 == 0) {
        f.write(process[w], key, i, start, end, "ok");
      } else if (++reads % 250 == 0) {
        f.read(process[w], key, null, start, end, "info");
        process[w] += workers;
      } else {
        f.read(process[w], key, i - workers, start, end, "ok");
      }
      clock[w] = end + 0.2;
    }
    double total = clock[0];
    f.fault("start", "partition", List.of("n1", "n2"), total * 0.4, "n1,n2 | n3");
    f.fault("stop", "partition", List.of("n1", "n2"), total * 0.6, null);
    return f;
  }
}
