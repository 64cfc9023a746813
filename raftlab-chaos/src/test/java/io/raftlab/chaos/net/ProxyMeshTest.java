package io.raftlab.chaos.net;

import static io.raftlab.chaos.net.LinkProxyTest.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.chaos.net.NetworkFaults.Link;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mesh on plain sockets: every node is an echo server. */
class ProxyMeshTest {

  private final Map<String, EchoServer> servers = new HashMap<>();
  private final List<Socket> clients = new ArrayList<>();
  private ProxyMesh mesh;

  private ProxyMesh mesh(String... nodes) throws IOException {
    for (String n : nodes) {
      servers.put(n, new EchoServer());
    }
    Function<String, String> address = n -> servers.get(n).address();
    mesh = new ProxyMesh(List.of(nodes), address);
    return mesh;
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket s : clients) {
      s.close();
    }
    if (mesh != null) {
      mesh.close();
    }
    for (EchoServer e : servers.values()) {
      e.close();
    }
  }

  /** A connection as {@code from} would open it to reach {@code to}. */
  private Socket dial(String from, String to) throws IOException {
    String a = mesh.proxyAddress(from, to);
    int colon = a.lastIndexOf(':');
    Socket s = new Socket();
    clients.add(s);
    s.connect(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))), 2000);
    s.setSoTimeout(300);
    return s;
  }

  @Test
  void eachOrderedPairHasItsOwnProxyToTheDestination() throws Exception {
    mesh("a", "b", "c");
    assertThat(mesh.activeLinks()).hasSize(6);
    assertThat(mesh.activeLinks().stream().map(ProxyMesh.LinkStatus::proxyAddress).distinct()).hasSize(6);
    assertThat(roundTrip(dial("a", "b"), "ab")).isEqualTo("ab");
    assertThat(roundTrip(dial("c", "a"), "ca")).isEqualTo("ca");
    LinkProxyTest.awaitCondition(() -> mesh.proxy("a", "b").counters().bytesForward() == 2 && mesh.proxy("a", "b").counters().bytesBackward() == 2,
        Duration.ofSeconds(5)); // counted just after each write returns
    ProxyMesh.LinkStatus ab = mesh.activeLinks().stream().filter(l -> l.link().equals(new Link("a", "b"))).findFirst().orElseThrow();
    assertThat(ab.counters().bytesForward()).isEqualTo(2);
    assertThat(ab.counters().bytesBackward()).isEqualTo(2);
    assertThat(ab.counters().connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void aOneWayBlockStopsExactlyOneDirectionOfAPair() throws IOException {
    mesh("a", "b");
    Socket ab = dial("a", "b");
    Socket ba = dial("b", "a");
    mesh.block("a", "b");
    assertThat(mesh.blockedLinks()).containsExactly(new Link("a", "b"));
    assertThatThrownBy(() -> roundTrip(ab, "lost")).isInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(() -> roundTrip(dial("a", "b"), "lost too")).isInstanceOf(SocketTimeoutException.class);
    assertThat(roundTrip(ba, "fine")).isEqualTo("fine");
    assertThat(roundTrip(dial("b", "a"), "fine too")).isEqualTo("fine too");
  }

  @Test
  void healRestoresTrafficOnTheSameAndOnNewConnections() throws IOException {
    mesh("a", "b", "c");
    Socket ab = dial("a", "b");
    mesh.isolate("a");
    assertThat(mesh.blockedLinks()).hasSize(4);
    assertThatThrownBy(() -> roundTrip(ab, "x")).isInstanceOf(SocketTimeoutException.class);
    mesh.delay("b", "c", Duration.ofMillis(50), Duration.ZERO);
    mesh.healAll();
    assertThat(mesh.blockedLinks()).isEmpty();
    assertThat(mesh.activeLinks()).allSatisfy(l -> assertThat(l.delay()).isZero());
    ab.setSoTimeout(2000);
    assertThat(LinkProxyTest.readExactly(ab, 1)).isEqualTo("x"); // held, then delivered
    assertThat(roundTrip(ab, "again")).isEqualTo("again");
    Socket fresh = dial("a", "b");
    fresh.setSoTimeout(2000);
    assertThat(roundTrip(fresh, "new")).isEqualTo("new");
  }

  @Test
  void resetConnectionsResetsOnlyThatLink() throws Exception {
    mesh("a", "b");
    Socket ab = dial("a", "b");
    Socket ba = dial("b", "a");
    roundTrip(ab, "1");
    roundTrip(ba, "2");
    mesh.resetConnections("a", "b");
    assertThatThrownBy(() -> ab.getInputStream().read()).isInstanceOf(java.net.SocketException.class);
    assertThat(roundTrip(ba, "still")).isEqualTo("still");
  }

  @Test
  void splitMinorityCutsEveryLinkAcrossTheSidesOnly() throws IOException {
    mesh("n1", "n2", "n3", "n4", "n5");
    mesh.splitMinority(List.of("n1", "n2"));
    Set<Link> blocked = mesh.blockedLinks();
    assertThat(blocked).hasSize(12).contains(new Link("n1", "n3"), new Link("n5", "n2")).doesNotContain(new Link("n1", "n2"), new Link("n3", "n4"));
    assertThatThrownBy(() -> mesh.splitMinority(List.of("n1", "n2", "n3")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minority").hasMessageContaining("1..2");
  }

  @Test
  void aBridgeNodeTalksToBothHalvesWhichCannotTalkToEachOther() throws IOException {
    mesh("n1", "n2", "n3", "n4", "n5");
    mesh.bridge("n3", List.of("n1", "n2"), List.of("n4", "n5"));
    Set<Link> blocked = mesh.blockedLinks();
    assertThat(blocked).hasSize(8).contains(new Link("n1", "n4"), new Link("n5", "n2"));
    assertThat(blocked).noneMatch(l -> l.from().equals("n3") || l.to().equals("n3"));
    assertThatThrownBy(() -> mesh.bridge("n3", List.of("n3"), List.of("n4")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bridge");
  }

  @Test
  void aRingKeepsOnlyLinksBetweenNeighbours() throws IOException {
    mesh("n1", "n2", "n3", "n4", "n5");
    mesh.ring();
    Set<Link> blocked = mesh.blockedLinks();
    assertThat(blocked).hasSize(10).contains(new Link("n1", "n3"), new Link("n3", "n1"), new Link("n2", "n5"))
        .doesNotContain(new Link("n1", "n2"), new Link("n5", "n1"), new Link("n1", "n5"));
  }

  @Test
  void everyFaultChangeIsLoggedAndPassedToListeners() throws IOException {
    mesh("a", "b");
    List<FaultLog.FaultChange> seen = new ArrayList<>();
    mesh.onFaultChange(seen::add);
    mesh.block("a", "b");
    mesh.delay("b", "a", Duration.ofMillis(10), Duration.ofMillis(5));
    mesh.resetConnections("b", "a");
    mesh.healAll();
    assertThat(mesh.faultLog()).extracting(FaultLog.FaultChange::action).containsExactly("block", "delay", "reset", "heal-all");
    assertThat(mesh.faultLog().get(0).link()).isEqualTo(new Link("a", "b"));
    assertThat(mesh.faultLog().get(1).detail()).isEqualTo("delay=10ms jitter=5ms");
    assertThat(seen).isEqualTo(mesh.faultLog());
  }

  @Test
  void unknownNodesAndSelfLinksAreRefusedWithTheirNames() throws IOException {
    mesh("a", "b");
    assertThatThrownBy(() -> mesh.block("a", "zz")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'zz'").hasMessageContaining("[a, b]");
    assertThatThrownBy(() -> mesh.block("a", "a")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a->a");
    assertThatThrownBy(() -> mesh.delay("a", "b", Duration.ofMillis(-1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a->b");
    assertThatThrownBy(() -> new ProxyMesh(List.of("a"), n -> null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
  }

  @Test
  void closingTheMeshClosesEveryProxy() throws Exception {
    mesh("a", "b", "c");
    roundTrip(dial("a", "b"), "x");
    mesh.close();
    LinkProxyTest.awaitCondition(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("link-proxy ")), Duration.ofSeconds(5));
    for (ProxyMesh.LinkStatus l : mesh.activeLinks()) {
      assertThat(l.counters().currentConnections()).isZero();
    }
  }
}
