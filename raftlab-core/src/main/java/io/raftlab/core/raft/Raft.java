package io.raftlab.core.raft;

import io.raftlab.core.Config;
import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import io.raftlab.core.HardState;
import io.raftlab.core.InvalidMessageException;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.NodeStatus;
import io.raftlab.core.PlantedBug;
import io.raftlab.core.ProposeResult;
import io.raftlab.core.ReadRequestResult;
import io.raftlab.core.ReadState;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import io.raftlab.core.SoftState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The Raft state of one member and the rules that change it. Roles, terms, timers, the log and
 * replication progress live here; what to do with each message type lives in one
 * {@link MessageHandler} per type. Callers use {@link io.raftlab.core.RaftNode}.
 */
public final class Raft {

  final Config cfg;
  final String id;
  final List<String> peers;
  private final Set<String> memberSet;
  final int quorum;
  private final RandomGenerator random;
  final RaftLog log = new RaftLog();

  long term;
  String vote;
  String leader;
  Role role = Role.FOLLOWER;

  /** Leader only: one entry per peer, in member order. */
  final Map<String, Progress> progress = new LinkedHashMap<>();
  /** Candidate and pre-candidate: who answered and how. */
  final Map<String, Boolean> votes = new LinkedHashMap<>();

  int electionElapsed;
  int heartbeatElapsed;
  int randomizedElectionTimeout;
  String leadTransferee;
  final ReadIndexTracker reads = new ReadIndexTracker();

  private List<Message> outbox = new ArrayList<>();
  private List<ReadState> readStates = new ArrayList<>();
  private boolean pendingBroadcast;
  private long lastTerm;
  private String lastVote;
  private long lastCommit;
  private Role lastRole;
  private String lastLeader;
  // The term and vote as of the last advanced Ready: what is surely on disk, not merely handed out.
  private long stableTerm;
  private String stableVote;

  private final Map<MessageType, MessageHandler> handlers = new EnumMap<>(MessageType.class);

  public Raft(Config cfg, RandomGenerator random, HardState hardState, List<Entry> persisted) {
    this.cfg = Objects.requireNonNull(cfg, "config");
    this.random = Objects.requireNonNull(random, "random");
    Objects.requireNonNull(hardState, "hard state");
    this.id = cfg.id();
    this.memberSet = new HashSet<>(cfg.members());
    List<String> others = new ArrayList<>(cfg.members());
    others.remove(id);
    this.peers = List.copyOf(others);
    this.quorum = cfg.quorum();
    if (hardState.vote() != null && !memberSet.contains(hardState.vote())) {
      throw new IllegalStateException("persisted vote for '" + hardState.vote() + "', which is not a member of " + cfg.members());
    }
    log.restore(persisted, hardState.commit());
    long lastLogTerm = log.lastTerm();
    if (lastLogTerm > hardState.term()) {
      throw new IllegalStateException("persisted term " + hardState.term() + " is below the last log entry's term " + lastLogTerm);
    }
    term = hardState.term();
    vote = cfg.has(PlantedBug.FORGET_VOTE_ON_RESTART) ? null : hardState.vote();
    // What is on disk now; a difference makes the next Ready carry a hard state.
    lastTerm = hardState.term();
    lastVote = hardState.vote();
    lastCommit = hardState.commit();
    stableTerm = hardState.term();
    stableVote = hardState.vote();
    lastRole = Role.FOLLOWER;
    lastLeader = null;
    resetElectionTimer();

    handlers.put(MessageType.PRE_VOTE, new VoteRequestHandler());
    handlers.put(MessageType.VOTE, new VoteRequestHandler());
    handlers.put(MessageType.PRE_VOTE_RESPONSE, new VoteResponseHandler());
    handlers.put(MessageType.VOTE_RESPONSE, new VoteResponseHandler());
    handlers.put(MessageType.APPEND, new AppendRequestHandler());
    handlers.put(MessageType.APPEND_RESPONSE, new AppendResponseHandler());
    handlers.put(MessageType.HEARTBEAT, new HeartbeatHandler());
    handlers.put(MessageType.HEARTBEAT_RESPONSE, new HeartbeatResponseHandler());
    handlers.put(MessageType.TIMEOUT_NOW, new TimeoutNowHandler());
    handlers.put(MessageType.READ_INDEX, new ReadIndexHandler());
    handlers.put(MessageType.READ_INDEX_RESPONSE, new ReadIndexResponseHandler());
  }

  // ---- inputs -------------------------------------------------------------------------------

  public void tick() {
    if (role == Role.LEADER) {
      tickLeader();
    } else {
      tickElection();
    }
  }

  /**
   * How many more ticks until one changes something (an election, a heartbeat, a quorum check);
   * at least 1. Ticks before that only count, so a caller with a clock may sleep that long and
   * then deliver the ticks that came due.
   */
  public int ticksUntilDue() {
    int left = role == Role.LEADER
        ? Math.min(cfg.heartbeatTicks() - heartbeatElapsed, cfg.electionTicksMin() - electionElapsed)
        : randomizedElectionTimeout - electionElapsed;
    return Math.max(1, left);
  }

  private void tickElection() {
    electionElapsed++;
    if (electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      startElection(false);
    }
  }

  private void tickLeader() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= cfg.electionTicksMin()) {
      electionElapsed = 0;
      if (cfg.checkQuorum()) {
        // Dissertation §6.2: a leader that has not heard from a quorum in an election timeout
        // steps down, so a partitioned leader stops serving (and leases become possible).
        if (!quorumActive()) {
          becomeFollower(term, null);
          return;
        }
        for (Progress pr : progress.values()) {
          pr.recentActive = false;
        }
      }
      leadTransferee = null; // a transfer that did not finish in an election timeout is abandoned
    }
    if (heartbeatElapsed >= cfg.heartbeatTicks()) {
      heartbeatElapsed = 0;
      bcastHeartbeat(reads.currentRound());
    }
  }

  public void step(Message m) {
    validate(m);
    if (m.term() > term) {
      boolean voteRequest = m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE;
      if (voteRequest && !m.force() && inLease()) {
        // Dissertation §4.2.3: while we hear from a leader, disruptive candidates are ignored.
        return;
      }
      if (m.type() == MessageType.PRE_VOTE) {
        // A pre-vote is for a term the candidate does not hold yet: our term stays.
      } else if (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject()) {
        // A granted pre-vote echoes the future term; it is not a newer term.
      } else if (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT
          || m.type() == MessageType.TIMEOUT_NOW) {
        becomeFollower(m.term(), m.from());
      } else {
        becomeFollower(m.term(), null);
      }
    } else if (m.term() < term) {
      if ((cfg.checkQuorum() || cfg.preVote())
          && (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT)) {
        // A stale leader may never hear a higher term otherwise (pre-vote keeps terms stable),
        // so tell it ours.
        send(Message.of(MessageType.APPEND_RESPONSE, id, m.from(), term).build());
      } else if (m.type() == MessageType.PRE_VOTE) {
        send(Message.of(MessageType.PRE_VOTE_RESPONSE, id, m.from(), term).reject(true).build());
      }
      return;
    }
    handlers.get(m.type()).handle(this, m);
  }

  private void validate(Message m) {
    if (m == null) {
      throw new InvalidMessageException("message is null");
    }
    if (m.from() == null || !memberSet.contains(m.from())) {
      throw new InvalidMessageException("message " + m.type() + " from '" + m.from() + "', which is not a member of " + cfg.members());
    }
    if (m.from().equals(id)) {
      throw new InvalidMessageException("message " + m.type() + " claims to come from this node (" + id + ")");
    }
    if (!id.equals(m.to())) {
      throw new InvalidMessageException("message " + m.type() + " is addressed to '" + m.to() + "', not to this node (" + id + ")");
    }
    if (m.term() < 0 || m.index() < 0 || m.logTerm() < 0 || m.commit() < 0) {
      throw new InvalidMessageException("message " + m.type() + " from " + m.from() + " has a negative term, index or commit");
    }
    if (m.type() == MessageType.APPEND) {
      long expected = m.index() + 1;
      for (Entry e : m.entries()) {
        if (e.index() != expected || e.term() > m.term() || e.term() < m.logTerm()) {
          throw new InvalidMessageException("append from " + m.from() + " carries entry " + e
              + " out of order after " + m.index() + "@" + m.logTerm() + " in term " + m.term());
        }
        expected++;
      }
    }
  }

  public ProposeResult propose(byte[] data) {
    if (role != Role.LEADER) {
      return new ProposeResult(ProposeResult.Status.NOT_LEADER, 0, 0, leader);
    }
    if (leadTransferee != null) {
      return new ProposeResult(ProposeResult.Status.TRANSFERRING, 0, 0, id);
    }
    long index = log.lastIndex() + 1;
    log.append(new Entry(term, index, EntryType.NORMAL, data));
    pendingBroadcast = true; // proposals between two Readies go out in one AppendEntries
    return new ProposeResult(ProposeResult.Status.ACCEPTED, index, term, id);
  }

  public ReadRequestResult readIndex(long context) {
    if (role == Role.LEADER) {
      handleReadRequest(context, id);
      return ReadRequestResult.ACCEPTED;
    }
    if (leader != null) {
      send(Message.of(MessageType.READ_INDEX, id, leader, term).context(context).build());
      return ReadRequestResult.FORWARDED;
    }
    return ReadRequestResult.NO_LEADER;
  }

  public void campaign() {
    if (role != Role.LEADER) {
      startElection(true);
    }
  }

  public boolean transferLeadership(String to) {
    if (!memberSet.contains(to)) {
      throw new IllegalArgumentException("cannot transfer leadership to '" + to + "': not a member of " + cfg.members());
    }
    if (role != Role.LEADER) {
      return false;
    }
    if (to.equals(id) || to.equals(leadTransferee)) {
      return true;
    }
    leadTransferee = to;
    electionElapsed = 0;
    Progress pr = progress.get(to);
    if (pr.match == log.lastIndex()) {
      sendTimeoutNow(to);
    } else {
      sendAppend(to, true);
    }
    return true;
  }

  public void stepDown() {
    if (role == Role.LEADER) {
      becomeFollower(term, null);
    }
  }

  // ---- outputs ------------------------------------------------------------------------------

  public boolean hasReady() {
    return pendingBroadcast
        || !outbox.isEmpty()
        || !readStates.isEmpty()
        || log.hasUnpersisted()
        || log.hasCommittedToApply()
        || hardStateChanged()
        || role != lastRole
        || !Objects.equals(leader, lastLeader);
  }

  private boolean hardStateChanged() {
    return term != lastTerm || log.committed != lastCommit || !Objects.equals(vote, lastVote);
  }

  public Ready ready() {
    flushBroadcast();
    SoftState soft = null;
    if (role != lastRole || !Objects.equals(leader, lastLeader)) {
      soft = new SoftState(role, leader);
      lastRole = role;
      lastLeader = leader;
    }
    HardState hard = null;
    boolean termDurable = term == lastTerm && Objects.equals(vote, lastVote);
    if (hardStateChanged()) {
      hard = new HardState(term, vote, log.committed);
      lastTerm = term;
      lastVote = vote;
      lastCommit = log.committed;
    }
    List<Entry> entries = log.takeUnpersisted();
    List<Entry> committed = log.takeCommitted();
    List<Message> early = List.of();
    List<Message> msgs = List.of();
    if (!outbox.isEmpty()) {
      early = new ArrayList<>();
      msgs = new ArrayList<>();
      boolean leading = role == Role.LEADER && termDurable;
      for (Message m : outbox) {
        (isEarly(m, leading) ? early : msgs).add(m);
      }
      outbox = new ArrayList<>();
    }
    List<ReadState> rs = readStates.isEmpty() ? List.of() : readStates;
    if (!readStates.isEmpty()) {
      readStates = new ArrayList<>();
    }
    return new Ready(soft, hard, entries, early, msgs, committed, rs);
  }

  /**
   * Messages that need nothing of their Ready on disk. A leader's appends and heartbeats in a
   * durable term (it counts itself towards a commit only for entries it has written). And a
   * candidate's vote requests: it counts its own vote only once its term and vote are durable
   * (see {@link #voteResult()}), so a candidate that crashes before its write never leads in
   * that term, and whatever it asked for changed nothing (etcd-raft's asynchronous storage writes
   * do the same). Sending them before the fsync shortens the window in which a second timer can
   * fire before the others have heard of this candidacy, which is what splits votes.
   */
  private boolean isEarly(Message m, boolean leading) {
    return switch (m.type()) {
      case APPEND, HEARTBEAT -> leading && m.term() == term;
      case VOTE -> role == Role.CANDIDATE && m.term() == term;
      case PRE_VOTE -> role == Role.PRE_CANDIDATE && m.term() == term + 1;
      default -> false;
    };
  }

  /**
   * Heartbeats and heartbeat responses of the current term, taken out of the outbox, when that
   * term and this node's vote in it are already on disk (an advanced Ready wrote them). Nothing
   * else they carry needs to be durable first, and their order against other messages does not
   * matter, so the caller may send them while an earlier Ready is still being written: a slow
   * fsync then delays replication, but not the proof that the leader is alive.
   */
  public List<Message> takeHeartbeats() {
    if (outbox.isEmpty() || term != stableTerm || !Objects.equals(vote, stableVote)) {
      return List.of();
    }
    List<Message> taken = null;
    for (Iterator<Message> it = outbox.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (m.term() == term && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.HEARTBEAT_RESPONSE)) {
        if (taken == null) {
          taken = new ArrayList<>();
        }
        taken.add(m);
        it.remove();
      }
    }
    return taken == null ? List.of() : taken;
  }

  public void advance(Ready rd) {
    if (rd.hardState() != null) {
      stableTerm = rd.hardState().term();
      stableVote = rd.hardState().vote();
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      log.stableTo(last.index(), last.term());
    }
    if (!rd.committedEntries().isEmpty()) {
      log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
    // The leader counts itself only for what it has made durable.
    if (role == Role.LEADER && maybeCommit()) {
      pendingBroadcast = true;
    }
    // A candidate whose grants came in before its own vote was written wins now.
    if (role == Role.CANDIDATE && voteResult() == VoteResult.WON) {
      becomeLeader();
    }
  }

  // ---- role changes -------------------------------------------------------------------------

  void becomeFollower(long newTerm, String newLeader) {
    if (newTerm != term) {
      term = newTerm;
      vote = null;
    }
    role = Role.FOLLOWER;
    leader = newLeader;
    leadTransferee = null;
    pendingBroadcast = false;
    votes.clear();
    reads.clear();
    resetElectionTimer();
  }

  /** Starts an election: a pre-vote first when enabled, unless forced (transfer, campaign). */
  void startElection(boolean force) {
    if (role == Role.LEADER) {
      return;
    }
    if (cfg.preVote() && !force) {
      becomePreCandidate();
    } else {
      becomeCandidate(force);
    }
  }

  private void becomePreCandidate() {
    role = Role.PRE_CANDIDATE;
    leader = null;
    votes.clear();
    votes.put(id, true);
    resetElectionTimer();
    if (voteResult() == VoteResult.WON) {
      becomeCandidate(false);
      return;
    }
    for (String p : peers) {
      send(Message.of(MessageType.PRE_VOTE, id, p, term + 1).index(log.lastIndex()).logTerm(log.lastTerm()).build());
    }
  }

  void becomeCandidate(boolean force) {
    term++;
    vote = id;
    role = Role.CANDIDATE;
    leader = null;
    leadTransferee = null;
    reads.clear();
    votes.clear();
    votes.put(id, true);
    resetElectionTimer();
    if (voteResult() == VoteResult.WON) {
      becomeLeader();
      return;
    }
    for (String p : peers) {
      send(Message.of(MessageType.VOTE, id, p, term).index(log.lastIndex()).logTerm(log.lastTerm()).force(force).build());
    }
  }

  void becomeLeader() {
    role = Role.LEADER;
    leader = id;
    leadTransferee = null;
    heartbeatElapsed = 0;
    electionElapsed = 0;
    votes.clear();
    reads.clear();
    progress.clear();
    for (String p : peers) {
      Progress pr = new Progress(log.lastIndex() + 1, cfg.maxInflightAppends());
      pr.recentActive = true; // one election timeout of grace before check-quorum counts
      progress.put(p, pr);
    }
    // §5.4.2: entries of earlier terms are committed only through an entry of this term.
    log.append(new Entry(term, log.lastIndex() + 1, EntryType.NOOP, null));
    pendingBroadcast = true;
  }

  private void resetElectionTimer() {
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout = random.nextInt(cfg.electionTicksMin(), cfg.electionTicksMax() + 1);
  }

  /** Heard from a leader within the minimum election timeout (only meaningful with check-quorum). */
  boolean inLease() {
    return cfg.checkQuorum() && leader != null && electionElapsed < cfg.electionTicksMin();
  }

  private boolean quorumActive() {
    int active = 1;
    for (Progress pr : progress.values()) {
      if (pr.recentActive) {
        active++;
      }
    }
    return active >= quorum;
  }

  enum VoteResult { PENDING, WON, LOST }

  VoteResult voteResult() {
    int granted = 0;
    int rejected = 0;
    for (boolean g : votes.values()) {
      if (g) {
        granted++;
      } else {
        rejected++;
      }
    }
    if (granted >= quorum) {
      // A candidate's own vote counts once its term and vote are durable (it asks before it
      // writes): a leader that lost its vote in a crash could vote again in the same term, for a
      // second leader.
      boolean ownVoteDurable = role != Role.CANDIDATE || (stableTerm == term && id.equals(stableVote))
          || cfg.has(PlantedBug.COUNT_OWN_VOTE_BEFORE_WRITE);
      return ownVoteDurable ? VoteResult.WON : VoteResult.PENDING;
    }
    if (rejected > cfg.members().size() - quorum) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  // ---- replication --------------------------------------------------------------------------

  /**
   * Advances the commit index to the highest index a quorum holds, but only if that entry is of
   * the current term (§5.4.2, the Figure 8 rule). Returns true if the commit index moved.
   */
  boolean maybeCommit() {
    long[] matches = new long[peers.size() + 1];
    int i = 0;
    matches[i++] = log.stable;
    for (Progress pr : progress.values()) {
      matches[i++] = pr.match;
    }
    Arrays.sort(matches);
    long candidate = matches[matches.length - quorum];
    if (candidate <= log.committed) {
      return false;
    }
    if (log.term(candidate) != term && !cfg.has(PlantedBug.COMMIT_OLD_TERM_BY_COUNT)) {
      return false;
    }
    log.commitTo(candidate);
    if (reads.hasParked() && committedInCurrentTerm()) {
      for (ReadIndexTracker.PendingRead r : reads.unpark()) {
        handleReadRequest(r.context(), r.from());
      }
    }
    return true;
  }

  boolean committedInCurrentTerm() {
    return log.term(log.committed) == term;
  }

  /** Sends new entries (or, if {@code sendIfEmpty}, an empty probe) to {@code to}; false if nothing went. */
  boolean sendAppend(String to, boolean sendIfEmpty) {
    Progress pr = progress.get(to);
    if (pr.isPaused()) {
      return false;
    }
    if (pr.next > log.lastIndex() + 1) {
      pr.becomeProbe();
    }
    long prevIndex = pr.next - 1;
    long prevTerm = log.term(prevIndex);
    List<Entry> ents = log.slice(pr.next, log.lastIndex() + 1, cfg.maxEntriesPerAppend(), cfg.maxBytesPerAppend());
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    send(Message.of(MessageType.APPEND, id, to, term)
        .index(prevIndex).logTerm(prevTerm).entries(ents).commit(log.committed).build());
    pr.sent(ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index(), !ents.isEmpty());
    return true;
  }

  /** Sends every follower what it lacks (an empty append carries the commit index), filling pipelines. */
  void bcastAppend() {
    for (String p : peers) {
      if (sendAppend(p, true)) {
        while (sendAppend(p, false)) {
          // stream further batches while the follower's window allows
        }
      }
    }
  }

  private void flushBroadcast() {
    if (pendingBroadcast) {
      pendingBroadcast = false;
      if (role == Role.LEADER) {
        bcastAppend();
      }
    }
  }

  void bcastHeartbeat(long round) {
    for (String p : peers) {
      Progress pr = progress.get(p);
      // Never tell a follower to commit past what it is known to hold in agreement with us.
      long commit = Math.min(pr.match, log.committed);
      send(Message.of(MessageType.HEARTBEAT, id, p, term).commit(commit).context(round).build());
    }
  }

  void sendTimeoutNow(String to) {
    send(Message.of(MessageType.TIMEOUT_NOW, id, to, term).build());
  }

  // ---- reads --------------------------------------------------------------------------------

  /** A read request on the leader, its own or forwarded by {@code from}. */
  void handleReadRequest(long context, String from) {
    if (!committedInCurrentTerm()) {
      // §8: until an entry of its term commits, a new leader does not know the commit index.
      reads.park(context, from);
      return;
    }
    boolean confirmedAlready = peers.isEmpty()
        || (cfg.leaseRead() && cfg.checkQuorum())
        || cfg.has(PlantedBug.READ_WITHOUT_QUORUM);
    if (confirmedAlready) {
      answerRead(new ReadIndexTracker.PendingRead(context, from, log.committed, 0));
      return;
    }
    long round = reads.nextRound();
    reads.add(new ReadIndexTracker.PendingRead(context, from, log.committed, round));
    bcastHeartbeat(round);
  }

  /** Confirms every queued read whose round a quorum has acknowledged. */
  void releaseReads() {
    ReadIndexTracker.PendingRead r;
    while ((r = reads.peek()) != null) {
      int acks = 1;
      for (Progress pr : progress.values()) {
        if (pr.ackedRound >= r.round()) {
          acks++;
        }
      }
      if (acks < quorum) {
        return;
      }
      reads.poll();
      answerRead(r);
    }
  }

  private void answerRead(ReadIndexTracker.PendingRead r) {
    if (r.from().equals(id)) {
      readStates.add(new ReadState(r.context(), r.index()));
    } else {
      send(Message.of(MessageType.READ_INDEX_RESPONSE, id, r.from(), term).context(r.context()).index(r.index()).build());
    }
  }

  void addReadState(ReadState rs) {
    readStates.add(rs);
  }

  void send(Message m) {
    outbox.add(m);
  }

  // ---- inspection ---------------------------------------------------------------------------

  public NodeStatus status() {
    Map<String, NodeStatus.PeerProgress> prs = new TreeMap<>();
    if (role == Role.LEADER) {
      for (Map.Entry<String, Progress> e : progress.entrySet()) {
        Progress pr = e.getValue();
        prs.put(e.getKey(), new NodeStatus.PeerProgress(pr.match, pr.next, pr.state.name(), pr.inflights.count(), pr.recentActive));
      }
    }
    return new NodeStatus(id, role, term, vote, leader, log.committed, log.applied, log.firstIndex(),
        log.lastIndex(), log.lastTerm(), log.stable, leadTransferee, prs);
  }

  public Config config() {
    return cfg;
  }

  public Role role() {
    return role;
  }

  public String leader() {
    return leader;
  }

  public long term() {
    return term;
  }

  public long commitIndex() {
    return log.committed;
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  public long termAt(long index) {
    return log.term(index);
  }

  public List<Entry> entries(long from, long to) {
    return log.slice(from, to, Integer.MAX_VALUE, Long.MAX_VALUE);
  }
}
