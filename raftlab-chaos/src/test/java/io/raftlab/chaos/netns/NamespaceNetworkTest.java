package io.raftlab.chaos.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftlab.chaos.net.NetworkFaults.Link;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The namespace network on small probe processes inside its namespaces (TCP echo + UDP receiver):
 * real namespaces, bridge, veths and packet filters.
 */
class NamespaceNetworkTest {

  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);

  private NamespaceNetwork net;
  private final List<ProbeProcess> probes = new ArrayList<>();
  private ProbeProcess a;
  private ProbeProcess b;
  private ProbeProcess c;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(NamespaceNetwork.missingPrerequisite().isEmpty(),
        () -> "skipped: " + NamespaceNetwork.missingPrerequisite().orElse(""));
    net = NamespaceNetwork.create(List.of("a", "b", "c"));
    a = probe("a");
    b = probe("b");
    c = probe("c");
  }

  private ProbeProcess probe(String node) throws Exception {
    ProbeProcess p = new ProbeProcess(net, node);
    probes.add(p);
    return p;
  }

  @AfterEach
  void tearDown() {
    for (ProbeProcess p : probes) {
      p.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private String addr(String node) {
    return net.address(node);
  }

  @Test
  void nodesHaveTheirOwnAddressesAndTheHostReachesThem() throws Exception {
    assertThat(Set.of(addr("a"), addr("b"), addr("c"))).hasSize(3);
    assertThat(addr("a")).startsWith("10.").doesNotEndWith(".1");
    assertThat(a.echo(addr("b"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("OK");
    assertThat(hostEcho(addr("c"))).isTrue();
    net.isolate("c");
    // the toolkit's own address is no node's: isolation leaves the client path open
    assertThat(hostEcho(addr("c"))).isTrue();
  }

  @Test
  void aBlockedLinkIsATimeoutNotARefusal() throws Exception {
    assertThat(c.echo(addr("a"), 1, PROBE_TIMEOUT)).as("control: a closed port answers with a reset").isEqualTo("REFUSED");
    net.block("a", "b");
    assertThat(a.echo(addr("b"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("TIMEOUT");
    assertThat(a.echo(addr("b"), 1, PROBE_TIMEOUT)).as("even a closed port: nothing comes back").isEqualTo("TIMEOUT");
    assertThat(a.echo(addr("c"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("OK");
    assertThat(net.blockedLinks()).containsExactly(new Link("a", "b"));
  }

  @Test
  void aOneWayBlockStopsExactlyOneDirection() throws Exception {
    net.block("a", "b");
    a.sendUdp(addr("b"), "a-to-b");
    b.sendUdp(addr("a"), "b-to-a");
    c.sendUdp(addr("b"), "c-to-b");
    assertThat(a.receives("b-to-a", Duration.ofSeconds(10))).as("b -> a still flows").isTrue();
    assertThat(b.receives("c-to-b", Duration.ofSeconds(10))).as("c -> b still flows").isTrue();
    assertThat(b.receives("a-to-b", Duration.ofSeconds(1))).as("a -> b is dropped").isFalse();

    net.unblock("a", "b");
    a.sendUdp(addr("b"), "a-to-b-again");
    assertThat(b.receives("a-to-b-again", Duration.ofSeconds(10))).isTrue();
    assertThat(net.blockedLinks()).isEmpty();
  }

  @Test
  void healAllRestoresEveryLink() throws Exception {
    net.isolate("a");
    net.block("b", "c");
    assertThat(net.blockedLinks()).hasSize(5);
    assertThat(b.echo(addr("a"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("TIMEOUT");
    net.healAll();
    assertThat(net.blockedLinks()).isEmpty();
    assertThat(b.echo(addr("a"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("OK");
    assertThat(a.echo(addr("c"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("OK");
    assertThat(b.echo(addr("c"), ProbeProcess.TCP_PORT, PROBE_TIMEOUT)).isEqualTo("OK");
    assertThat(net.faultLog()).extracting(f -> f.action()).contains("block", "heal-all");
  }

  @Test
  void delayIsNetemOrAClearUnsupportedError() throws Exception {
    try {
      net.delay("a", "b", Duration.ofMillis(300), Duration.ZERO);
    } catch (UnsupportedOperationException e) {
      assertThat(e).hasMessageContaining("netem");
      return; // this kernel has no netem: the error says so
    }
    long t0 = System.nanoTime();
    assertThat(a.echo(addr("b"), ProbeProcess.TCP_PORT, Duration.ofSeconds(5))).isEqualTo("OK");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(600)); // syn + data each wait 300 ms
    net.healAll();
  }

  @Test
  void closeRemovesEveryNamespaceInterfaceAndProcessItCreated() throws Exception {
    String tag = net.runTag();
    assertThat(NamespaceNetwork.namespacesTagged(tag)).hasSize(3);
    assertThat(NamespaceNetwork.interfacesTagged(tag)).contains(net.bridgeName()).hasSize(4);
    long pid = a.pid();
    net.block("a", "b");
    net.close();
    assertThat(NamespaceNetwork.namespacesTagged(tag)).isEmpty();
    assertThat(NamespaceNetwork.interfacesTagged(tag)).isEmpty();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("probe left in a namespace is ended").isFalse();
  }

  @Test
  void badNodesGetClearErrors() {
    assertThatThrownBy(() -> net.block("a", "zz")).hasMessageContaining("unknown node 'zz'");
    assertThatThrownBy(() -> net.block("a", "a")).hasMessageContaining("itself");
    assertThatThrownBy(() -> NamespaceNetwork.create(List.of("x", "x"))).hasMessageContaining("distinct");
  }

  private boolean hostEcho(String host) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, ProbeProcess.TCP_PORT), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      return in.read() == 'h';
    } catch (Exception e) {
      return false;
    }
  }
}
