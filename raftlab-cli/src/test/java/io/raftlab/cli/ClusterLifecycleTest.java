package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.server.launch.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster up leaves real processes running; kv talks to them; cluster down ends every one of them. */
class ClusterLifecycleTest {


  @Test
  void upPutGetStatusDown(@TempDir Path dir) throws Exception {
    String d = dir.resolve("c").toString();
    try {
      assertThat(run("cluster", "up", "-n", "3", "--cluster-dir", d)).startsWith("0\n").contains("leader: n");
      assertThat(run("kv", "put", "--cluster-dir", d, "greeting", "hello")).startsWith("0\n");
      assertThat(run("kv", "get", "--cluster-dir", d, "greeting")).startsWith("0\n").contains("hello");
      String status = run("cluster", "status", "--cluster-dir", d);
      assertThat(status).startsWith("0\n").contains("LEADER").contains("n1").contains("n2").contains("n3");
    } finally {
      List<Long> pids = pids(dir.resolve("c"));
      String down = run("cluster", "down", "--cluster-dir", d);
      assertThat(down).startsWith("0\n");
      if (!pids.isEmpty()) {
        assertThat(down).contains("n1, n2, n3");
      }
      for (long pid : pids) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
      }
      LocalCluster.stopDetached(dir.resolve("c"), Duration.ofSeconds(1)); // nothing left, but never leak on failure
    }
  }

  private static String run(String... args) {
    CliRun r = CliRun.of(args);
    return r.exit() + "\n" + r.out();
  }

  private static List<Long> pids(Path clusterDir) throws Exception {
    List<Long> out = new ArrayList<>();
    Path f = clusterDir.resolve(LocalCluster.CLUSTER_FILE);
    if (!Files.exists(f)) {
      return out;
    }
    for (var n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).path("nodes")) {
      out.add(n.path("pid").asLong());
    }
    return out;
  }
}
