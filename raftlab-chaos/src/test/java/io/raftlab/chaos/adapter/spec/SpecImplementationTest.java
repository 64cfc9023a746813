package io.raftlab.chaos.adapter.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.chaos.adapter.ClientRoute;
import io.raftlab.chaos.adapter.ClusterRequest;
import io.raftlab.chaos.adapter.KvClient;
import io.raftlab.chaos.adapter.OpResult;
import io.raftlab.chaos.cluster.ClusterUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec file drives real processes (raftlab's own server, described as a stranger would describe it). */
class SpecImplementationTest {

  @TempDir Path dir;

  private static final String RAFTLAB_SPEC = """
      name: raftlab-spec
      command: ["${JAVA}", -Xmx256m, -XX:+UseSerialGC, -cp, "${CP}", io.raftlab.server.ServerMain,
                --id, "{id}", --data-dir, "{dataDir}", --client-port, "{clientPort}", --peer-port, "{peerPort}",
                --metrics-port, "-1", "{each-member}"]
      each-member: [--member, "{memberId}={memberPeerAddress},{memberClientAddress}"]
      ready: {tcp: client, timeout: 90s}
      client: raftlab
      inspection: raftlab
      """;

  private Map<String, String> variables() {
    return Map.of("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "CP", System.getProperty("java.class.path"));
  }

  private Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @AfterEach
  void everyNodeProcessEnded() {
    List<ProcessHandle> alive = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
        .filter(ProcessHandle::isAlive).toList();
    assertThat(alive).as("node processes still running").isEmpty();
  }

  @Test
  void aSpecFileStartsProcessesBehindTheMeshThatServeKillRestartAndPartition() throws Exception {
    SpecImplementation impl = new SpecImplementation(ImplementationSpec.load(write("raftlab.yaml", RAFTLAB_SPEC), variables()));
    assertThat(impl.name()).isEqualTo("raftlab-spec");
    Duration patience = Duration.ofSeconds(60);
    try (ClusterUnderTest cluster = impl.start(new ClusterRequest(dir.resolve("c"), 3,
        Map.of("election-timeout-min-millis", "300", "election-timeout-max-millis", "600", "heartbeat-millis", "50"), patience))) {
      assertThat(cluster.nodes()).containsExactly("n1", "n2", "n3");
      // Each node was told to reach its peers at the toolkit's proxies, not at their own ports.
      String cmd = String.join(" ", ((SpecCluster) cluster).command("n1"));
      assertThat(cmd).contains("--member n2=" + ((io.raftlab.chaos.net.ProxyMesh) cluster.network()).proxyAddress("n1", "n2"));
      assertThat(cmd).contains("--election-timeout-min-millis 300");

      String leader = cluster.leader(patience).orElseThrow();
      OpResult w = writeUntilOk(impl, cluster, "k", "v1", patience);
      assertThat(w.outcome()).isEqualTo(OpResult.Outcome.OK);

      // Cut the leader off: the other two elect a leader of their own and keep serving.
      cluster.network().isolate(leader);
      String next = awaitLeaderOtherThan(cluster, leader, patience);
      assertThat(next).isNotEqualTo(leader);
      cluster.network().healAll();

      // kill -9 and restart keep the data: the node comes back on the same ports.
      String addressBefore = cluster.clientAddress(next).orElseThrow();
      cluster.kill(next);
      assertThat(cluster.isRunning(next)).isFalse();
      assertThat(cluster.clientAddress(next)).isEmpty();
      cluster.restart(next);
      assertThat(cluster.clientAddress(next)).contains(addressBefore);
      OpResult r = readUntilOk(impl, cluster, "k", patience);
      assertThat(r.value()).isEqualTo("v1");
    }
  }

  private static OpResult writeUntilOk(SpecImplementation impl, ClusterUnderTest cluster, String key, String value, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    OpResult r;
    do {
      try (KvClient c = impl.client(cluster, ClientRoute.standard(cluster.nodes(), Duration.ofSeconds(3)))) {
        r = c.write(key, value);
      }
      if (r.outcome() == OpResult.Outcome.OK) {
        return r;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return r;
  }

  private static OpResult readUntilOk(SpecImplementation impl, ClusterUnderTest cluster, String key, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    OpResult r;
    do {
      try (KvClient c = impl.client(cluster, ClientRoute.standard(cluster.nodes(), Duration.ofSeconds(3)))) {
        r = c.read(key);
      }
      if (r.outcome() == OpResult.Outcome.OK) {
        return r;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return r;
  }

  private static String awaitLeaderOtherThan(ClusterUnderTest cluster, String old, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      // The isolated old leader steps down (check-quorum); the one leader left is the new one.
      var l = cluster.leader(Duration.ofSeconds(2));
      if (l.isPresent() && !l.get().equals(old)) {
        return l.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader other than " + old + " within " + patience);
  }

  @Test
  void aBadSpecGetsAnErrorNamingFileAndKey() throws Exception {
    assertThatThrownBy(() -> ImplementationSpec.load(write("a.yaml", "name: x\ncommand: [a]\nfoo: 1\n"), Map.of()))
        .isInstanceOf(SpecException.class).hasMessageContaining("a.yaml").hasMessageContaining("unknown key 'foo'");
    assertThatThrownBy(() -> ImplementationSpec.load(write("b.yaml", "name: x\n"), Map.of()))
        .hasMessageContaining("b.yaml").hasMessageContaining("command: missing");
    assertThatThrownBy(() -> ImplementationSpec.load(write("c.yaml", "name: x\ncommand: [run, \"{idd}\"]\n"), Map.of()))
        .hasMessageContaining("unknown placeholder {idd}");
    assertThatThrownBy(() -> ImplementationSpec.load(write("d.yaml", "name: x\ncommand: [\"${NOPE}\"]\n"), Map.of()))
        .hasMessageContaining("${NOPE} is not set");
    assertThatThrownBy(() -> ImplementationSpec.load(write("e.yaml", "name: x\ncommand: [a]\nready: {tcp: udp}\n"), Map.of()))
        .hasMessageContaining("ready.tcp: 'udp' must be client or peer");
    assertThatThrownBy(() -> new SpecImplementation(ImplementationSpec.load(write("f.yaml", "name: x\ncommand: [a]\nclient: com.example.Nope\n"), Map.of())))
        .hasMessageContaining("client: 'com.example.Nope' is neither 'raftlab' nor a class");
    assertThatThrownBy(() -> ImplementationSpec.load(dir.resolve("missing.yaml"), Map.of()))
        .hasMessageContaining("missing.yaml: no such implementation spec file");
  }

  @Test
  void aNodeThatExitsAtStartIsReportedWithItsLog() throws Exception {
    Path spec = write("bad.yaml", "name: broken\ncommand: [\"${JAVA}\", -version]\nready: {tcp: client, timeout: 30s}\n");
    SpecImplementation impl = new SpecImplementation(ImplementationSpec.load(spec, variables()));
    assertThatThrownBy(() -> impl.start(new ClusterRequest(dir.resolve("b"), 2, Map.of(), Duration.ofSeconds(30))))
        .hasMessageContaining("broken node n1 exited with status 0 during start-up").hasMessageContaining("node.log");
  }
}
