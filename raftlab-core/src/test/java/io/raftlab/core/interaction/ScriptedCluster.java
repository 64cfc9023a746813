package io.raftlab.core.interaction;

import io.raftlab.core.Config;
import io.raftlab.core.ConfigException;
import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.Message;
import io.raftlab.core.ProposeResult;
import io.raftlab.core.RaftNode;
import io.raftlab.core.ReadRequestResult;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A cluster driven one command at a time, the way a script reads. Nothing happens on its own:
 * a node's Ready is handled only by process-ready (or stabilize), and a sent message reaches
 * its target only by deliver-msgs. Handling a Ready follows the persistence contract: write the
 * entries and hard state to the node's in-memory disk, then put the messages on the network,
 * then apply the committed entries, then advance. The disk survives crash/restart.
 */
final class ScriptedCluster {

  private static final int MAX_NODES = 9;
  private static final int MAX_TICKS = 100_000;
  private static final int STABILIZE_ROUNDS = 1_000;

  /** One member: the live node (null while down) and what it has made durable. */
  private static final class Member {
    final String id;
    final Config config;
    RaftNode node;
    final List<Entry> disk = new ArrayList<>();
    HardState hardState = HardState.EMPTY;
    int incarnation;
    /** Role, term and leader when last shown, so commands can print what changed. */
    String shown;

    Member(String id, Config config) {
      this.id = id;
      this.config = config;
    }
  }

  private final Map<String, Member> members = new LinkedHashMap<>();
  /** Sent and not yet delivered, in send order. */
  private final List<Message> network = new ArrayList<>();
  /** Partition group of each node; empty when the network is whole. */
  private final Map<String, Integer> groups = new HashMap<>();
  private long seed;

  /** Runs one command and returns its output lines. Throws {@link ScriptException} for a bad command. */
  List<String> run(ScriptCommand c) {
    List<String> out = new ArrayList<>();
    if (!c.name().equals("add-nodes") && members.isEmpty()) {
      throw c.error("there are no nodes yet; start the script with add-nodes");
    }
    switch (c.name()) {
      case "add-nodes" -> addNodes(c, out);
      case "campaign" -> campaign(c, out);
      case "tick" -> tick(c, out);
      case "tick-all" -> tickAll(c, out);
      case "propose" -> propose(c, out);
      case "read-index" -> readIndex(c, out);
      case "transfer-leader" -> transferLeader(c, out);
      case "step-down" -> stepDown(c, out);
      case "process-ready" -> processReady(c, out);
      case "deliver-msgs" -> deliverMsgs(c, out);
      case "drop-msgs" -> dropMsgs(c, out);
      case "msgs" -> showMsgs(c, out);
      case "stabilize" -> stabilize(c, out);
      case "partition" -> partition(c, out);
      case "heal" -> heal(c, out);
      case "crash" -> crash(c, out);
      case "restart" -> restart(c, out);
      case "load-log" -> loadLog(c, out);
      case "status" -> status(c, out);
      case "log" -> log(c, out);
      default -> throw c.error("unknown command; known: add-nodes, campaign, tick, tick-all, propose, read-index, "
          + "transfer-leader, step-down, process-ready, deliver-msgs, drop-msgs, msgs, stabilize, partition, heal, "
          + "crash, restart, load-log, status, log");
    }
    if (out.isEmpty()) {
      out.add("ok");
    }
    return out;
  }

  // ---- setup ------------------------------------------------------------------------------

  private void addNodes(ScriptCommand c, List<String> out) {
    if (!members.isEmpty()) {
      throw c.error("the cluster already has nodes " + members.keySet() + "; membership changes are not supported");
    }
    var a = c.arguments(Set.of("prevote", "checkquorum", "election", "heartbeat", "inflight", "batch", "lease", "seed"));
    a.expectCount(1, 1, "add-nodes N [prevote=B] [checkquorum=B] [election=MIN..MAX] [heartbeat=K] [inflight=K] [batch=K] [lease=B] [seed=S]");
    int n = (int) a.number(a.get(0), "node count", 1, MAX_NODES);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add(String.valueOf(i));
    }
    int electionMin = 10;
    int electionMax = 20;
    String election = a.options().get("election");
    if (election != null) {
      String[] parts = election.split("\\.\\.", -1);
      if (parts.length != 2) {
        throw c.error("election '" + election + "' must be MIN..MAX, e.g. 10..20");
      }
      electionMin = (int) a.number(parts[0], "election minimum", 1, 1_000_000);
      electionMax = (int) a.number(parts[1], "election maximum", electionMin, 1_000_000);
    }
    seed = a.option("seed", 1, 0, Long.MAX_VALUE / 2);
    Config.Builder b = Config.builder(ids.get(0), ids)
        .electionTicks(electionMin, electionMax)
        .heartbeatTicks((int) a.option("heartbeat", 1, 1, 1_000_000))
        .maxInflightAppends((int) a.option("inflight", 256, 1, 1_000_000))
        .maxEntriesPerAppend((int) a.option("batch", 1024, 1, 1_000_000))
        .preVote(a.flag("prevote", true))
        .checkQuorum(a.flag("checkquorum", true))
        .leaseRead(a.flag("lease", false));
    Config template;
    try {
      template = b.build();
    } catch (ConfigException e) {
      throw c.error(e.getMessage());
    }
    for (String id : ids) {
      Member m = new Member(id, template.forMember(id));
      m.node = RaftNode.create(m.config, random(m));
      members.put(id, m);
      m.shown = stateOf(m);
    }
    out.add("nodes " + String.join(" ", ids) + ": prevote=" + template.preVote() + " checkquorum=" + template.checkQuorum()
        + " election=" + template.electionTicksMin() + ".." + template.electionTicksMax()
        + " heartbeat=" + template.heartbeatTicks() + " inflight=" + template.maxInflightAppends()
        + " batch=" + template.maxEntriesPerAppend() + " lease=" + template.leaseRead());
  }

  /** Seeded from the script's seed, the node and its incarnation, so every run is the same. */
  private SplittableRandom random(Member m) {
    return new SplittableRandom(seed * 1_000_003L + Long.parseLong(m.id) * 1_009L + m.incarnation);
  }

  /**
   * Replaces a node's disk with a log of the given terms (indexes from 1) and restarts it from
   * there: the way to set up the paper's figures without replaying their history.
   */
  private void loadLog(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of("term", "vote", "commit"));
    if (a.positional().isEmpty()) {
      throw c.error("usage: load-log ID term=T [vote=ID] [commit=C] [TERM...]");
    }
    Member m = member(c, a.get(0));
    if (!a.options().containsKey("term")) {
      throw c.error("term=T is required (the persisted current term)");
    }
    long term = a.option("term", 0, 0, Long.MAX_VALUE);
    String vote = a.options().get("vote");
    if (vote != null) {
      member(c, vote);
    }
    List<Entry> log = new ArrayList<>();
    for (int i = 1; i < a.positional().size(); i++) {
      long t = a.number(a.get(i), "term of entry " + i, 1, term);
      log.add(Entry.normal(t, i, ("e" + i).getBytes(StandardCharsets.UTF_8)));
    }
    long commit = a.option("commit", 0, 0, log.size());
    m.disk.clear();
    m.disk.addAll(log);
    m.hardState = new HardState(term, vote, commit);
    m.node = null;
    startFromDisk(m, out);
  }

  private void startFromDisk(Member m, List<String> out) {
    m.incarnation++;
    m.node = RaftNode.restart(m.config, random(m), m.hardState, List.copyOf(m.disk));
    out.add(m.id + " starts from disk: " + TraceFormat.hardState(m.hardState) + " log=" + TraceFormat.positions(m.disk));
    showChanges(out, "  ");
  }

  // ---- inputs -----------------------------------------------------------------------------

  private void campaign(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(1, 1, "campaign ID");
    live(c, a.get(0)).campaign();
    showChanges(out, "");
  }

  private void tick(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(1, 2, "tick ID [N]");
    RaftNode n = live(c, a.get(0));
    long times = a.positional().size() > 1 ? a.number(a.get(1), "tick count", 1, MAX_TICKS) : 1;
    for (int i = 1; i <= times; i++) {
      n.tick();
      showChanges(out, "tick " + i + ": ");
    }
  }

  private void tickAll(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(0, 1, "tick-all [N]");
    long times = a.positional().isEmpty() ? 1 : a.number(a.get(0), "tick count", 1, MAX_TICKS);
    for (int i = 1; i <= times; i++) {
      for (Member m : members.values()) {
        if (m.node != null) {
          m.node.tick();
        }
      }
      showChanges(out, "tick " + i + ": ");
    }
  }

  private void propose(ScriptCommand c, List<String> out) {
    if (c.tokens().size() != 2) {
      throw c.error("expected 2 argument(s), got " + c.tokens().size() + "; usage: propose ID DATA (DATA is one word)");
    }
    ProposeResult r = live(c, c.tokens().get(0)).propose(c.tokens().get(1).getBytes(StandardCharsets.UTF_8));
    out.add(switch (r.status()) {
      case ACCEPTED -> "accepted at " + r.index() + "@" + r.term();
      case NOT_LEADER -> "refused: not leader (leader=" + TraceFormat.orNone(r.leader()) + ")";
      case TRANSFERRING -> "refused: leadership transfer in progress";
    });
  }

  private void readIndex(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(2, 2, "read-index ID CTX");
    RaftNode n = live(c, a.get(0));
    long ctx = a.number(a.get(1), "read context", 1, Long.MAX_VALUE);
    ReadRequestResult r = n.readIndex(ctx);
    out.add(r.toString().toLowerCase().replace('_', ' '));
  }

  private void transferLeader(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(2, 2, "transfer-leader FROM TO");
    RaftNode from = live(c, a.get(0));
    String to = member(c, a.get(1)).id;
    boolean started = from.transferLeadership(to);
    out.add(started ? "transfer to " + to + " started" : "refused: " + from.id() + " is not leader");
    showChanges(out, "");
  }

  private void stepDown(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(1, 1, "step-down ID");
    RaftNode n = live(c, a.get(0));
    if (n.role() != Role.LEADER) {
      out.add("not leader; nothing to do");
    }
    n.stepDown();
    showChanges(out, "");
  }

  // ---- Ready handling and the network -----------------------------------------------------

  private void processReady(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    for (Member m : selected(c, a.positional(), "process-ready ID...|all")) {
      if (m.node == null) {
        out.add(m.id + " is down");
      } else if (!handleReady(m, out)) {
        out.add(m.id + ": no ready");
      }
    }
  }

  /** Handles one Ready of {@code m} if it has one; returns whether it had. */
  private boolean handleReady(Member m, List<String> out) {
    if (!m.node.hasReady()) {
      return false;
    }
    Ready rd = m.node.ready();
    out.addAll(TraceFormat.ready(m.id, rd));
    // 1. persist: an entry at an index already on disk replaces it and everything after it
    for (Entry e : rd.entries()) {
      while (m.disk.size() >= e.index()) {
        m.disk.remove(m.disk.size() - 1);
      }
      m.disk.add(e);
    }
    if (rd.hardState() != null) {
      m.hardState = rd.hardState();
    }
    // 2. send; 3. apply (the state machine is the Ready's printout); 4. advance
    network.addAll(rd.allMessages());
    m.node.advance(rd);
    showChanges(out, "  ");
    return true;
  }

  private void deliverMsgs(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of("drop"));
    List<Member> to = selected(c, a.positional(), "deliver-msgs [ID...|all] [drop=ID,...]");
    List<String> drop = new ArrayList<>();
    String dropList = a.options().get("drop");
    if (dropList != null) {
      for (String id : dropList.split(",", -1)) {
        drop.add(member(c, id).id);
      }
    }
    List<String> targets = new ArrayList<>();
    for (Member m : to) {
      targets.add(m.id);
    }
    targets.addAll(drop);
    List<Message> batch = take(msg -> targets.contains(msg.to()));
    if (batch.isEmpty()) {
      out.add("no messages");
    }
    for (Message msg : batch) {
      if (drop.contains(msg.to())) {
        out.add("dropped: " + TraceFormat.message(msg));
      } else {
        deliver(msg, out);
      }
    }
  }

  private void deliver(Message msg, List<String> out) {
    Member target = members.get(msg.to());
    if (target.node == null) {
      out.add("dropped (" + msg.to() + " is down): " + TraceFormat.message(msg));
    } else if (!groups.isEmpty() && !groups.get(msg.from()).equals(groups.get(msg.to()))) {
      out.add("dropped (partition): " + TraceFormat.message(msg));
    } else {
      out.add(TraceFormat.message(msg));
      try {
        target.node.step(msg);
      } catch (RuntimeException e) {
        out.add("  error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      showChanges(out, "  ");
    }
  }

  private List<Message> take(Predicate<Message> which) {
    List<Message> taken = new ArrayList<>();
    for (Iterator<Message> it = network.iterator(); it.hasNext(); ) {
      Message msg = it.next();
      if (which.test(msg)) {
        taken.add(msg);
        it.remove();
      }
    }
    return taken;
  }

  private void dropMsgs(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(2, 2, "drop-msgs FROM|all TO|all");
    String from = a.get(0).equals("all") ? null : member(c, a.get(0)).id;
    String to = a.get(1).equals("all") ? null : member(c, a.get(1)).id;
    List<Message> dropped = take(msg -> (from == null || msg.from().equals(from)) && (to == null || msg.to().equals(to)));
    if (dropped.isEmpty()) {
      out.add("no messages");
    }
    for (Message msg : dropped) {
      out.add("dropped: " + TraceFormat.message(msg));
    }
  }

  private void showMsgs(ScriptCommand c, List<String> out) {
    c.arguments(Set.of()).expectCount(0, 0, "msgs");
    if (network.isEmpty()) {
      out.add("no messages");
    }
    for (Message msg : network) {
      out.add(TraceFormat.message(msg));
    }
  }

  /** Handles Readies and delivers messages, in rounds, until no node has anything to do. */
  private void stabilize(ScriptCommand c, List<String> out) {
    c.arguments(Set.of()).expectCount(0, 0, "stabilize");
    for (int round = 0; round < STABILIZE_ROUNDS; round++) {
      boolean busy = false;
      for (Member m : members.values()) {
        if (m.node != null) {
          busy |= handleReady(m, out);
        }
      }
      List<Message> batch = take(msg -> true);
      for (Message msg : batch) {
        deliver(msg, out);
      }
      if (!busy && batch.isEmpty()) {
        return;
      }
    }
    throw c.error("the cluster did not settle in " + STABILIZE_ROUNDS + " rounds");
  }

  private void partition(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    if (a.positional().isEmpty()) {
      throw c.error("usage: partition ID,ID... [ID,ID...]... (nodes not named form one more group)");
    }
    Map<String, Integer> g = new HashMap<>();
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < a.positional().size(); i++) {
      List<String> group = new ArrayList<>();
      for (String id : a.get(i).split(",", -1)) {
        String m = member(c, id).id;
        if (g.put(m, i) != null) {
          throw c.error("node " + m + " is in two groups");
        }
        group.add(m);
      }
      shown.add("{" + String.join(",", group) + "}");
    }
    List<String> rest = new ArrayList<>();
    for (String id : members.keySet()) {
      if (!g.containsKey(id)) {
        g.put(id, a.positional().size());
        rest.add(id);
      }
    }
    if (!rest.isEmpty()) {
      shown.add("{" + String.join(",", rest) + "}");
    }
    groups.clear();
    groups.putAll(g);
    out.add("partitioned: " + String.join(" ", shown));
  }

  private void heal(ScriptCommand c, List<String> out) {
    c.arguments(Set.of()).expectCount(0, 0, "heal");
    groups.clear();
    out.add("healed");
  }

  // ---- crashes ----------------------------------------------------------------------------

  private void crash(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(1, 1, "crash ID");
    Member m = member(c, a.get(0));
    live(c, m.id);
    m.node = null;
    out.add(m.id + " crashed; disk: " + TraceFormat.hardState(m.hardState) + " log=" + TraceFormat.positions(m.disk));
    showChanges(out, "  ");
  }

  private void restart(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    a.expectCount(1, 1, "restart ID");
    Member m = member(c, a.get(0));
    if (m.node != null) {
      throw c.error("node " + m.id + " is running; crash it first");
    }
    startFromDisk(m, out);
  }

  // ---- inspection -------------------------------------------------------------------------

  private void status(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    for (Member m : selected(c, a.positional(), "status ID...|all")) {
      if (m.node == null) {
        out.add(m.id + ": down; disk: " + TraceFormat.hardState(m.hardState) + " log=" + TraceFormat.positions(m.disk));
      } else {
        out.addAll(TraceFormat.status(m.node.status()));
      }
    }
  }

  private void log(ScriptCommand c, List<String> out) {
    var a = c.arguments(Set.of());
    for (Member m : selected(c, a.positional(), "log ID...|all")) {
      if (m.node == null) {
        out.add(m.id + " (down, disk): " + TraceFormat.positions(m.disk));
      } else {
        out.add(m.id + ": " + TraceFormat.positions(m.node.entries(1, m.node.lastIndex() + 1)));
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private Member member(ScriptCommand c, String id) {
    Member m = members.get(id);
    if (m == null) {
      throw c.error("unknown node '" + id + "' (nodes: " + String.join(" ", members.keySet()) + ")");
    }
    return m;
  }

  private RaftNode live(ScriptCommand c, String id) {
    Member m = member(c, id);
    if (m.node == null) {
      throw c.error("node " + id + " is down; restart it first");
    }
    return m.node;
  }

  /** The named nodes, or every node for none or "all". */
  private List<Member> selected(ScriptCommand c, List<String> ids, String usage) {
    if (ids.isEmpty() || (ids.size() == 1 && ids.get(0).equals("all"))) {
      return new ArrayList<>(members.values());
    }
    List<Member> out = new ArrayList<>();
    for (String id : ids) {
      if (id.equals("all")) {
        throw c.error("'all' cannot be mixed with node ids; usage: " + usage);
      }
      out.add(member(c, id));
    }
    return out;
  }

  private static String stateOf(Member m) {
    if (m.node == null) {
      return "DOWN";
    }
    return m.node.role() + " term=" + m.node.term() + " leader=" + TraceFormat.orNone(m.node.leader());
  }

  /** Prints, for every node whose role, term or leader changed since last shown, its new state. */
  private void showChanges(List<String> out, String prefix) {
    for (Member m : members.values()) {
      String now = stateOf(m);
      if (!now.equals(m.shown)) {
        out.add(prefix + m.id + " is now " + now);
        m.shown = now;
      }
    }
  }
}
