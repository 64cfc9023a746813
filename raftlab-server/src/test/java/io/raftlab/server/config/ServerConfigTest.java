package io.raftlab.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.server.ServerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  private static final List<Member> THREE = List.of(Member.parse("n1=127.0.0.1:7001,127.0.0.1:8001"),
      Member.parse("n2=127.0.0.1:7002,127.0.0.1:8002"), Member.parse("n3=127.0.0.1:7003,127.0.0.1:8003"));

  @Test
  void yamlGivesValuesFlagsOverrideThemAndTimesBecomeTicks(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("node.yaml");
    Files.writeString(yaml, """
        id: n2
        data-dir: /var/lib/raftlab/n2
        tick-millis: 5
        election-timeout-min-millis: 100
        election-timeout-max-millis: 200
        heartbeat-millis: 20
        max-value-bytes: 64k
        members:
          - {id: n1, peer: "127.0.0.1:7001", client: "127.0.0.1:8001"}
          - {id: n2, peer: "127.0.0.1:7002", client: "127.0.0.1:8002"}
          - {id: n3, peer: "127.0.0.1:7003", client: "127.0.0.1:8003"}
        """);
    ServerConfig c = ServerMain.parse(new String[] {"--config", yaml.toString(), "--heartbeat-millis", "10", "--fsync=never"});
    assertThat(c.id()).isEqualTo("n2");
    assertThat(c.members()).extracting(Member::id).containsExactly("n1", "n2", "n3");
    assertThat(c.heartbeatMillis()).isEqualTo(10);
    assertThat(c.maxValueBytes()).isEqualTo(64 * 1024);
    assertThat(c.fsyncAlways()).isFalse();
    assertThat(c.coreConfig().electionTicksMin()).isEqualTo(20);
    assertThat(c.coreConfig().electionTicksMax()).isEqualTo(40);
    assertThat(c.coreConfig().heartbeatTicks()).isEqualTo(2);
    assertThat(c.describe()).containsEntry("heartbeat-millis", "10").containsKey("members");
  }

  @Test
  void badValuesNameTheParameterAndTheAllowedRange() {
    Map<String, String> base = Map.of("id", "n1", "data-dir", "/tmp/x");
    assertThatThrownBy(() -> ServerConfig.of(with(base, "peer-port", "70000"), THREE))
        .hasMessage("peer-port: 70000 is out of range (allowed 0..65535)");
    assertThatThrownBy(() -> ServerConfig.of(with(base, "heartbeat-millis", "1500"), THREE))
        .hasMessageStartingWith("heartbeat-millis: 1500 must be below election-timeout-min-millis (1000)");
    assertThatThrownBy(() -> ServerConfig.of(with(base, "fsync", "sometimes"), THREE))
        .hasMessage("fsync: 'sometimes' is not one of always, never");
    assertThatThrownBy(() -> ServerConfig.of(with(base, "election-timout-min-millis", "10"), THREE))
        .hasMessageStartingWith("election-timout-min-millis: unknown parameter");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("id", "n9", "data-dir", "/tmp/x"), THREE))
        .hasMessageContaining("id: 'n9' is not one of the members");
    assertThatThrownBy(() -> ServerConfig.of(base, List.of())).hasMessageStartingWith("members:");
    assertThatThrownBy(() -> Member.parse("n1-127.0.0.1:7001")).hasMessageContaining("ID=PEER_ADDRESS,CLIENT_ADDRESS");
  }

  @Test
  void networkThreadsAreOnePerCoreUnlessSet() {
    Map<String, String> base = Map.of("id", "n1", "data-dir", "/tmp/x");
    assertThat(ServerConfig.of(base, THREE).networkThreads())
        .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    assertThat(ServerConfig.of(with(base, "network-threads", "1"), THREE).networkThreads()).isEqualTo(1);
    assertThatThrownBy(() -> ServerConfig.of(with(base, "network-threads", "-1"), THREE))
        .hasMessage("network-threads: -1 is out of range (allowed 0..256)");
  }

  @Test
  void aMemberMayNameASeparateAddressForForwardedRequests() {
    Member plain = Member.parse("n2=127.0.0.1:7001,127.0.0.1:8001");
    assertThat(plain.forwardAddress()).isEqualTo("127.0.0.1:8001");
    Member detour = Member.parse("n2=127.0.0.1:7001,127.0.0.1:8001,127.0.0.1:9001");
    assertThat(detour.clientAddress()).isEqualTo("127.0.0.1:8001");
    assertThat(detour.forwardAddress()).isEqualTo("127.0.0.1:9001");
    assertThat(detour.toString()).isEqualTo("n2=127.0.0.1:7001,127.0.0.1:8001,127.0.0.1:9001");
    assertThatThrownBy(() -> Member.parse("n2=a:1")).hasMessageContaining("ID=PEER_ADDRESS,CLIENT_ADDRESS[,FORWARD_ADDRESS]");
    assertThatThrownBy(() -> Member.parse("n2=a:1,,b:2")).hasMessageContaining("empty address");
    assertThatThrownBy(() -> Member.parse("n2=a:1,b:2,c:3,d:4")).hasMessageContaining("must look like");
  }

  @Test
  void theUnsafeSwitchAllowsABadTimingConfigurationOnPurpose() {
    ServerConfig c = ServerConfig.of(Map.of("id", "n1", "data-dir", "/tmp/x", "heartbeat-millis", "1500", "unsafe", "true"), THREE);
    assertThat(c.coreConfig().heartbeatTicks()).isGreaterThanOrEqualTo(c.coreConfig().electionTicksMin());
  }

  @Test
  void changingTheClusterSizeIsOneFlagPerMember() throws Exception {
    String[] nine = new String[2 * 9 + 4];
    int i = 0;
    nine[i++] = "--id";
    nine[i++] = "n9";
    nine[i++] = "--data-dir";
    nine[i++] = "/tmp/n9";
    for (int n = 1; n <= 9; n++) {
      nine[i++] = "--member";
      nine[i++] = "n" + n + "=127.0.0.1:" + (7000 + n) + ",127.0.0.1:" + (8000 + n);
    }
    assertThat(ServerMain.parse(nine).coreConfig().quorum()).isEqualTo(5);
  }

  private static Map<String, String> with(Map<String, String> base, String k, String v) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put(k, v);
    return m;
  }
}
