package io.raftlab.chaos.netns;

import io.raftlab.chaos.net.NetworkFaults;
import io.raftlab.chaos.net.FaultLog;
import io.raftlab.chaos.net.FaultLog.FaultChange;
import io.raftlab.server.launch.HostUser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A private network of Linux network namespaces, one per node, joined by a bridge; the host side
 * of the bridge has an address too, so the toolkit (in the root namespace) reaches the nodes'
 * client ports. Faults are packet filters and queueing disciplines inside the namespaces:
 * {@code block(a, b)} drops (never rejects) every IP packet from a's address in b's namespace, so
 * a's connects and sends to b time out. This is a packet-level one-way block: on TCP both ends of a
 * connection need packets both ways, so a TCP connection between a and b stalls whichever side
 * opened it; datagrams from b to a still arrive. Needs root and the {@code ip} and
 * {@code iptables} tools; {@code tc} with {@code netem} for delays, {@code ss} for resets.
 *
 * <p>Every instance takes a 10.x.y.0/24 subnet no other instance (in any JVM on this host) holds,
 * claimed with a file lock, and names its namespaces and interfaces with a random run tag. Every
 * namespace, interface, rule (and any process left inside a namespace) is removed on
 * {@link #close()} or, failing that, by a JVM shutdown hook.
 */
public final class NamespaceNetwork implements NetworkFaults, AutoCloseable {

  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final Path CLAIMS = Path.of(System.getProperty("java.io.tmpdir"), "raftlab-netns-subnets");
  private static final int MAX_DELAY_NODES = 15; // a prio qdisc has 16 bands; band 1 is unshaped traffic

  private final List<String> nodes;
  private final String tag;
  private final String subnet; // "10.x.y"
  private final String bridge;
  private final Map<String, String> namespaceOf = new LinkedHashMap<>();
  private final Map<String, String> deviceOf = new LinkedHashMap<>(); // the node's end of its veth, inside its namespace
  private final Map<String, String> addressOf = new LinkedHashMap<>();
  private final Set<Link> blocked = new LinkedHashSet<>();
  private final Set<String> shaped = new LinkedHashSet<>(); // nodes whose device has the prio qdisc
  private final Set<Link> delayed = new LinkedHashSet<>();
  private final FaultLog faults = new FaultLog();
  private final Thread cleanupHook = new Thread(this::removeEverything, "netns-cleanup");
  private FileChannel claimChannel;
  private FileLock claim;
  private Path claimFile;
  private boolean closed;

  private NamespaceNetwork(List<String> nodes, String tag, String subnet) {
    this.nodes = List.copyOf(nodes);
    this.tag = tag;
    this.subnet = subnet;
    this.bridge = "rl" + tag + "br";
  }

  /**
   * What this host lacks to build namespace networks (not root, a missing tool), or empty when
   * nothing is missing.
   */
  public static Optional<String> missingPrerequisite() {
    if (!HostUser.isRoot()) {
      return Optional.of("network namespaces need root (uid 0); this JVM runs as another user");
    }
    for (String tool : List.of("ip", "iptables")) {
      if (HostCommand.find(tool).isEmpty()) {
        return Optional.of("the '" + tool + "' tool is not installed (Debian: apt-get install -y "
            + (tool.equals("ip") ? "iproute2" : "iptables") + ")");
      }
    }
    return Optional.empty();
  }

  /** Creates the bridge and a namespace per node, each node with its own address. */
  public static NamespaceNetwork create(List<String> nodes) throws IOException {
    Optional<String> missing = missingPrerequisite();
    if (missing.isPresent()) {
      throw new IllegalStateException("NamespaceNetwork: " + missing.get());
    }
    if (nodes.isEmpty() || nodes.size() > 200) {
      throw new IllegalArgumentException("nodes: 1..200 nodes, got " + nodes.size());
    }
    if (new LinkedHashSet<>(nodes).size() != nodes.size()) {
      throw new IllegalArgumentException("nodes: ids must be distinct, got " + nodes);
    }
    for (String n : nodes) {
      if (!NODE_NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("nodes: '" + n + "' must be 1-32 of [A-Za-z0-9_.-]");
      }
    }
    byte[] b = new byte[3];
    SecureRandom random = new SecureRandom();
    random.nextBytes(b);
    String tag = HexFormat.of().formatHex(b);
    Files.createDirectories(CLAIMS);
    String inUse = HostCommand.run("ip", "-o", "-4", "addr", "show") + HostCommand.run("ip", "-4", "route", "show");
    for (int attempt = 0; attempt < 200; attempt++) {
      String subnet = "10." + (200 + random.nextInt(50)) + "." + random.nextInt(256);
      if (inUse.contains(" " + subnet + ".")) {
        continue;
      }
      NamespaceNetwork net = new NamespaceNetwork(nodes, tag, subnet);
      if (net.claimSubnet()) {
        Runtime.getRuntime().addShutdownHook(net.cleanupHook);
        try {
          net.build();
          return net;
        } catch (IOException | RuntimeException e) {
          net.close();
          throw e;
        }
      }
    }
    throw new IOException("NamespaceNetwork: found no free 10.200-249.x.0/24 subnet after 200 tries");
  }

  private boolean claimSubnet() throws IOException {
    Path file = CLAIMS.resolve(subnet + ".lock");
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        return false;
      }
      claimChannel = ch;
      claim = lock;
      claimFile = file;
      return true;
    } catch (OverlappingFileLockException e) { // held by another instance in this JVM
      ch.close();
      return false;
    }
  }

  private void build() throws IOException {
    HostCommand.run("ip", "link", "add", bridge, "type", "bridge");
    HostCommand.run("ip", "addr", "add", hostAddress() + "/24", "dev", bridge);
    HostCommand.run("ip", "link", "set", bridge, "up");
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i);
      String ns = "rl-" + tag + "-" + node;
      String hostEnd = "rl" + tag + "h" + i;
      String nodeEnd = "rl" + tag + "n" + i;
      String address = subnet + "." + (i + 2);
      HostCommand.run("ip", "netns", "add", ns);
      namespaceOf.put(node, ns);
      HostCommand.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nodeEnd, "netns", ns);
      HostCommand.run("ip", "link", "set", hostEnd, "master", bridge, "up");
      HostCommand.run("ip", "-n", ns, "addr", "add", address + "/24", "dev", nodeEnd);
      HostCommand.run("ip", "-n", ns, "link", "set", nodeEnd, "up");
      HostCommand.run("ip", "-n", ns, "link", "set", "lo", "up");
      deviceOf.put(node, nodeEnd);
      addressOf.put(node, address);
    }
  }

  @Override
  public List<String> nodes() {
    return nodes;
  }

  /** The node's IPv4 address, inside its namespace. */
  public String address(String node) {
    checkNode(node);
    return addressOf.get(node);
  }

  /** The name of the node's network namespace (for {@code ip netns exec}). */
  public String namespace(String node) {
    checkNode(node);
    return namespaceOf.get(node);
  }

  /** The host's address on the bridge: what the nodes see when the toolkit connects to them. */
  public String hostAddress() {
    return subnet + ".1";
  }

  /** The random tag in every name this network created. */
  public String runTag() {
    return tag;
  }

  /** The bridge's interface name. */
  public String bridgeName() {
    return bridge;
  }

  /** {@code argv} as a command that runs inside the node's namespace (it execs, keeping the pid). */
  public List<String> commandIn(String node, List<String> argv) {
    List<String> out = new ArrayList<>(List.of(HostCommand.find("ip").map(Path::toString).orElse("ip"), "netns", "exec", namespace(node)));
    out.addAll(argv);
    return out;
  }

  @Override
  public synchronized void block(String from, String to) {
    Link link = link(from, to);
    if (blocked.add(link)) {
      filter("-I", link);
    }
    record("block", link, "drop " + addressOf.get(from) + " -> " + addressOf.get(to));
  }

  @Override
  public synchronized void unblock(String from, String to) {
    Link link = link(from, to);
    if (blocked.remove(link)) {
      filter("-D", link);
    }
    record("unblock", link, "");
  }

  private void filter(String op, Link link) {
    exec(link.to(), "iptables", "-w", "10", op, "INPUT", "-s", addressOf.get(link.from()) + "/32", "-j", "DROP");
  }

  /**
   * Delays what {@code from} sends to {@code to} with {@code tc netem} on from's end of its veth.
   *
   * @throws UnsupportedOperationException if the kernel has no netem (or prio) queueing discipline
   */
  @Override
  public synchronized void delay(String from, String to, Duration delay, Duration jitter) {
    Link link = link(from, to);
    if (delay.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("delay/jitter must not be negative, got " + delay + "/" + jitter);
    }
    boolean none = delay.isZero() && jitter.isZero();
    if (none && !delayed.contains(link)) {
      record("undelay", link, "delay=0ms jitter=0ms");
      return;
    }
    if (nodes.size() > MAX_DELAY_NODES) {
      throw new UnsupportedOperationException("delay: supported for up to " + MAX_DELAY_NODES + " nodes, this network has " + nodes.size());
    }
    String dev = deviceOf.get(from);
    String band = "1:" + Integer.toHexString(nodes.indexOf(to) + 2);
    try {
      if (!shaped.contains(from)) {
        List<String> prio = new ArrayList<>(List.of("tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "prio", "bands", "16", "priomap"));
        for (int i = 0; i < 16; i++) {
          prio.add("0");
        }
        execChecked(from, prio);
        shaped.add(from);
      }
      if (!delayed.contains(link)) {
        execChecked(from, List.of("tc", "filter", "add", "dev", dev, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
            "match", "ip", "dst", addressOf.get(to) + "/32", "flowid", band));
      }
      List<String> netem = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", dev, "parent", band, "netem", "delay", delay.toMillis() + "ms"));
      if (!jitter.isZero()) {
        netem.add(jitter.toMillis() + "ms");
      }
      execChecked(from, netem);
      delayed.add(link);
    } catch (IOException e) {
      if (e.getMessage().contains("unknown") || e.getMessage().contains("Unknown")) {
        throw new UnsupportedOperationException("delay: this kernel has no tc netem/prio queueing discipline (" + e.getMessage() + ")", e);
      }
      throw new IllegalStateException("delay " + link + ": " + e.getMessage(), e);
    }
    record(none ? "undelay" : "delay", link, "delay=" + delay.toMillis() + "ms jitter=" + jitter.toMillis() + "ms");
  }

  /** Aborts the TCP connections between the two nodes, in both namespaces ({@code ss -K}). */
  @Override
  public void resetConnections(String from, String to) {
    Link link = link(from, to);
    exec(from, "ss", "-K", "dst", addressOf.get(to));
    exec(to, "ss", "-K", "dst", addressOf.get(from));
    record("reset", link, "");
  }

  @Override
  public synchronized void healAll() {
    for (Link l : List.copyOf(blocked)) {
      filter("-D", l);
      blocked.remove(l);
    }
    for (String n : List.copyOf(shaped)) {
      exec(n, "tc", "qdisc", "del", "dev", deviceOf.get(n), "root");
      shaped.remove(n);
    }
    delayed.clear();
    record("heal-all", null, "");
  }

  @Override
  public synchronized Set<Link> blockedLinks() {
    return Set.copyOf(blocked);
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

  private void exec(String node, String... argv) {
    try {
      execChecked(node, List.of(argv));
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private void execChecked(String node, List<String> argv) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespaceOf.get(node)));
    cmd.addAll(argv);
    HostCommand.run(cmd);
  }

  private Link link(String from, String to) {
    checkNode(from);
    checkNode(to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("link " + from + "->" + to + ": a node has no link to itself");
    }
    return new Link(from, to);
  }

  private void checkNode(String node) {
    if (!namespaceOf.containsKey(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'; this network connects " + nodes);
    }
  }

  /** The namespaces of this host whose names carry {@code tag} (to check that none is left behind). */
  public static List<String> namespacesTagged(String tag) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : HostCommand.run("ip", "netns", "list").split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (name.startsWith("rl-" + tag + "-")) {
        out.add(name);
      }
    }
    return out;
  }

  /** The network interfaces of this host whose names carry {@code tag}. */
  public static List<String> interfacesTagged(String tag) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : HostCommand.run("ip", "-o", "link", "show").split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        String name = parts[1].split("@")[0];
        if (name.startsWith("rl" + tag)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /**
   * Ends any process still inside the namespaces (they were started there by this network's
   * users), deletes the namespaces (their veths, addresses, rules and qdiscs go with them) and the
   * bridge, and gives the subnet back.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; removeEverything is idempotent
    }
    removeEverything();
  }

  private synchronized void removeEverything() {
    List<String> errors = new ArrayList<>();
    for (String ns : List.copyOf(namespaceOf.values())) {
      try {
        for (String pid : HostCommand.run("ip", "netns", "pids", ns).split("\\s+")) {
          if (!pid.isBlank()) {
            HostCommand.run("kill", "-KILL", pid.strip());
          }
        }
      } catch (IOException e) {
        errors.add(e.getMessage());
      }
      // Deleting the host end removes the pair at once; a namespace's own devices go asynchronously.
      String hostEnd = "rl" + tag + "h" + nodes.indexOf(nodeOfNamespace(ns));
      try {
        if (interfacesTagged(tag).contains(hostEnd)) {
          HostCommand.run("ip", "link", "del", hostEnd);
        }
      } catch (IOException e) {
        errors.add(e.getMessage());
      }
      try {
        HostCommand.run("ip", "netns", "del", ns);
      } catch (IOException e) {
        if (!e.getMessage().contains("No such file")) {
          errors.add(e.getMessage());
        }
      }
    }
    namespaceOf.clear();
    try {
      if (!interfacesTagged(tag).isEmpty()) {
        HostCommand.run("ip", "link", "del", bridge);
      }
    } catch (IOException e) {
      errors.add(e.getMessage());
    }
    try {
      if (claim != null) {
        Files.deleteIfExists(claimFile);
        claim.release();
        claimChannel.close();
        claim = null;
      }
    } catch (IOException e) {
      errors.add(e.getMessage());
    }
    if (!errors.isEmpty()) {
      System.err.println("NamespaceNetwork " + tag + ": cleanup problems: " + errors);
    }
  }

  private String nodeOfNamespace(String ns) {
    return ns.substring(("rl-" + tag + "-").length());
  }

  @Override
  public String toString() {
    return "NamespaceNetwork[" + tag + ", " + subnet + ".0/24, " + addressOf + "]";
  }
}
