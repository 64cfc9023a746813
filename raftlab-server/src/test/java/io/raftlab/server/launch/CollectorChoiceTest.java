package io.raftlab.server.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftlab.server.ServerMain;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A stop-the-world pause longer than the election timeout is an election, so nodes with short
 * timeouts get a concurrent collector, and a node started otherwise says so.
 */
class CollectorChoiceTest {

  @Test
  void shortElectionTimeoutsGetAConcurrentCollector() {
    assumeTrue(System.getenv("RAFTLAB_NODE_JAVA_OPTS") == null, "RAFTLAB_NODE_JAVA_OPTS overrides the choice");
    assertThat(LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "12"))).contains("-XX:+UseZGC");
    assertThat(LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "99"))).contains("-XX:+UseZGC");
    assertThat(LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "100"))).contains("-XX:+UseSerialGC");
    // The server's default timeout (1 s) keeps the collector with the most throughput.
    assertThat(LocalCluster.nodeJavaOpts(Map.of())).contains("-XX:+UseSerialGC").contains("-XX:TieredStopAtLevel=1");
    // A bad value is the node's to refuse; the launcher does not guess.
    assertThat(LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "soon"))).contains("-XX:+UseSerialGC");
  }

  @Test
  void shortTimeoutNodesKeepAHeapWhoseTeardownIsShort() {
    assumeTrue(System.getenv("RAFTLAB_NODE_JAVA_OPTS") == null, "RAFTLAB_NODE_JAVA_OPTS overrides the choice");
    // A killed node's memory is freed on a CPU the survivors need for their election; ZGC's
    // teardown grows with the maximum heap, so it stays at or below 256 MB.
    Matcher m = Pattern.compile("-Xmx(\\d+)m\\b").matcher(LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "12")));
    assertThat(m.find()).as("an -Xmx in megabytes").isTrue();
    assertThat(Integer.parseInt(m.group(1))).isBetween(64, 256);
  }

  @Test
  void shortTimeoutsGetRaisedThreadPrioritiesWhereTheJvmCanApplyThem() {
    assumeTrue(System.getenv("RAFTLAB_NODE_JAVA_OPTS") == null, "RAFTLAB_NODE_JAVA_OPTS overrides the choice");
    String opts = LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "12"));
    if (HostUser.isRoot()) {
      assertThat(opts).contains("-XX:ThreadPriorityPolicy=1").contains("-XX:JavaPriority9_To_OSPriority=0");
    } else {
      // Anyone else may not lower a nice value; the JVM would only print a warning at every start.
      assertThat(opts).doesNotContain("ThreadPriorityPolicy");
    }
    // Long timeouts leave every thread at the ordinary priority.
    assertThat(LocalCluster.nodeJavaOpts(Map.of())).doesNotContain("ThreadPriorityPolicy");
    assertThat(LocalCluster.nodeJavaOpts(Map.of("election-timeout-min-millis", "100"))).doesNotContain("ThreadPriorityPolicy");
  }

  @Test
  void nodeWarnsWhenItsCollectorCanOutlastTheTimeout() {
    List<String> serial = List.of("Copy", "MarkSweepCompact");
    assertThat(ServerMain.pauseWarning(12, serial)).hasValueSatisfying(w ->
        assertThat(w).contains("election-timeout-min-millis is 12 ms").contains("Copy").contains("-XX:+UseZGC"));
    assertThat(ServerMain.pauseWarning(12, List.of("G1 Young Generation", "G1 Old Generation"))).isPresent();
    assertThat(ServerMain.pauseWarning(12, List.of("ZGC Cycles", "ZGC Pauses"))).isEmpty();
    assertThat(ServerMain.pauseWarning(12, List.of("Shenandoah Pauses", "Shenandoah Cycles"))).isEmpty();
    assertThat(ServerMain.pauseWarning(150, serial)).isEmpty();
  }
}
