package io.raftlab.chaos.net;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import io.raftlab.chaos.net.FaultLog.FaultChange;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The network between the nodes of a local cluster as a {@link LinkProxy} per ordered pair of
 * nodes: node {@code a} is told to reach {@code b} at {@link #proxyAddress(String, String)
 * proxyAddress(a, b)}, so every directed link can be blocked, delayed or reset on its own, with
 * no privileges. Every change of a fault is logged ({@link #faultLog()}) and passed to listeners.
 */
public final class ProxyMesh implements NetworkFaults, AutoCloseable {


  /** A link's proxy, its faults and counters. */
  public record LinkStatus(Link link, String proxyAddress, boolean blocked, Duration delay, Duration jitter,
      LinkProxy.Counters counters) {}

  private final List<String> nodes;
  private final Map<Link, LinkProxy> proxies = new LinkedHashMap<>();
  /** Per link, the proxy for client requests {@code from} forwards to {@code to} (empty without a client resolver). */
  private final Map<Link, LinkProxy> clientProxies = new LinkedHashMap<>();
  private final FaultLog faults = new FaultLog();

  /**
   * Starts a proxy for every ordered pair of {@code nodes}.
   *
   * @param peerAddressOf the address a node listens on for peers, asked at every new connection
   *                      (null while the node has none, e.g. not started yet)
   */
  public ProxyMesh(List<String> nodes, Function<String, String> peerAddressOf) throws IOException {
    this(nodes, peerAddressOf, null);
  }

  /**
   * As above, plus a second proxy per link for the client requests one node forwards to another
   * (a follower relaying to its leader); every fault on a link applies to both, so a partition
   * stops forwarded requests as it stops Raft messages.
   *
   * @param clientAddressOf the address a node serves clients on, or null for no client proxies
   */
  public ProxyMesh(List<String> nodes, Function<String, String> peerAddressOf, Function<String, String> clientAddressOf)
      throws IOException {
    if (nodes.size() < 2) {
      throw new IllegalArgumentException("nodes: a mesh needs at least 2 nodes, got " + nodes);
    }
    if (new LinkedHashSet<>(nodes).size() != nodes.size()) {
      throw new IllegalArgumentException("nodes: ids must be distinct, got " + nodes);
    }
    this.nodes = List.copyOf(nodes);
    try {
      for (String from : nodes) {
        for (String to : nodes) {
          if (!from.equals(to)) {
            Link link = new Link(from, to);
            proxies.put(link, new LinkProxy(link.toString(), () -> peerAddressOf.apply(to)));
            if (clientAddressOf != null) {
              clientProxies.put(link, new LinkProxy(link + " (client)", () -> clientAddressOf.apply(to)));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public List<String> nodes() {
    return nodes;
  }

  /** The address {@code from} must dial to reach {@code to} through this mesh. */
  public String proxyAddress(String from, String to) {
    return proxy(from, to).address();
  }

  /** The address {@code from} dials to forward a client request to {@code to} through this mesh. */
  public String clientProxyAddress(String from, String to) {
    proxy(from, to);
    LinkProxy p = clientProxies.get(new Link(from, to));
    if (p == null) {
      throw new IllegalStateException("this mesh has no client proxies (built without a client address resolver)");
    }
    return p.address();
  }

  /** Applies {@code fault} to the link's peer proxy and, if there is one, its client proxy. */
  private void onLink(String from, String to, java.util.function.Consumer<LinkProxy> fault) {
    fault.accept(proxy(from, to));
    LinkProxy c = clientProxies.get(new Link(from, to));
    if (c != null) {
      fault.accept(c);
    }
  }

  public LinkProxy proxy(String from, String to) {
    checkNode(from);
    checkNode(to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("link " + from + "->" + to + ": a node has no link to itself");
    }
    return proxies.get(new Link(from, to));
  }

  @Override
  public void block(String from, String to) {
    onLink(from, to, LinkProxy::block);
    record("block", new Link(from, to), "");
  }

  @Override
  public void unblock(String from, String to) {
    onLink(from, to, LinkProxy::unblock);
    record("unblock", new Link(from, to), "");
  }

  @Override
  public void delay(String from, String to, Duration delay, Duration jitter) {
    onLink(from, to, p -> p.delay(delay, jitter));
    record(delay.isZero() && jitter.isZero() ? "undelay" : "delay", new Link(from, to), "delay=" + delay.toMillis() + "ms jitter=" + jitter.toMillis() + "ms");
  }

  @Override
  public void resetConnections(String from, String to) {
    onLink(from, to, LinkProxy::resetConnections);
    record("reset", new Link(from, to), "");
  }

  @Override
  public void healAll() {
    for (Map<Link, LinkProxy> m : List.of(proxies, clientProxies)) {
      for (LinkProxy p : m.values()) {
        p.unblock();
        p.delay(Duration.ZERO, Duration.ZERO);
      }
    }
    record("heal-all", null, "");
  }

  @Override
  public Set<Link> blockedLinks() {
    Set<Link> out = new LinkedHashSet<>();
    proxies.forEach((link, p) -> {
      if (p.isBlocked()) {
        out.add(link);
      }
    });
    return out;
  }

  /** Every link with its faults and counters. */
  public List<LinkStatus> activeLinks() {
    List<LinkStatus> out = new ArrayList<>();
    proxies.forEach((link, p) -> out.add(new LinkStatus(link, p.address(), p.isBlocked(), p.delay(), p.jitter(), p.counters())));
    return out;
  }

  /** Delays every link. */
  public void delayAll(Duration delay, Duration jitter) {
    for (Link l : proxies.keySet()) {
      delay(l.from(), l.to(), delay, jitter);
    }
  }

  /** Resets the connections of every link. */
  public void resetAll() {
    for (Link l : proxies.keySet()) {
      resetConnections(l.from(), l.to());
    }
  }

  /**
   * Cuts {@code minority} off from the other nodes, both ways; links inside each side stay. The
   * minority must be fewer than half the nodes, so the rest keep a majority.
   */
  public void splitMinority(Collection<String> minority) {
    Set<String> small = checkedSet(minority, "minority");
    if (small.isEmpty() || small.size() * 2 >= nodes.size()) {
      throw new IllegalArgumentException("minority: " + small + " must hold 1.." + ((nodes.size() - 1) / 2) + " of the " + nodes.size() + " nodes " + nodes);
    }
    List<String> rest = nodes.stream().filter(n -> !small.contains(n)).toList();
    split(List.of(List.copyOf(small), rest));
  }

  /**
   * A bridge: {@code left} and {@code right} cannot talk to each other (both ways), but
   * {@code bridge} talks to both. With 5 nodes and 2 + 2 around the bridge, both halves can
   * reach a majority through it.
   */
  public void bridge(String bridge, Collection<String> left, Collection<String> right) {
    checkNode(bridge);
    Set<String> l = checkedSet(left, "left");
    Set<String> r = checkedSet(right, "right");
    if (l.contains(bridge) || r.contains(bridge)) {
      throw new IllegalArgumentException("bridge: " + bridge + " must be in neither half (left=" + l + ", right=" + r + ")");
    }
    Set<String> both = new TreeSet<>(l);
    both.retainAll(r);
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("left and right must not share nodes, both hold " + both);
    }
    for (String a : l) {
      for (String b : r) {
        partition(a, b);
      }
    }
  }

  /** A ring in {@link #nodes()} order: each node keeps only the links to its two neighbours, both ways. */
  public void ring() {
    int n = nodes.size();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int dist = Math.abs(i - j);
        if (i != j && dist != 1 && dist != n - 1) {
          block(nodes.get(i), nodes.get(j));
        }
      }
    }
  }

  /** Fault changes so far, oldest first. */
  public List<FaultChange> faultLog() {
    return faults.changes();
  }

  /** Calls {@code listener} on every later fault change (e.g. to write nemesis.jsonl). */
  public void onFaultChange(Consumer<FaultChange> listener) {
    faults.onChange(listener);
  }

  private void record(String action, Link link, String detail) {
    faults.record(action, link, detail);
  }

  private void checkNode(String node) {
    if (!nodes.contains(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'; this mesh connects " + nodes);
    }
  }

  private Set<String> checkedSet(Collection<String> group, String what) {
    Set<String> s = new LinkedHashSet<>(group);
    for (String n : s) {
      if (!nodes.contains(n)) {
        throw new IllegalArgumentException(what + ": unknown node '" + n + "'; this mesh connects " + nodes);
      }
    }
    return s;
  }

  /** Closes every proxy and the connections it carries. */
  @Override
  public void close() {
    for (LinkProxy p : proxies.values()) {
      p.close();
    }
    for (LinkProxy p : clientProxies.values()) {
      p.close();
    }
  }
}
