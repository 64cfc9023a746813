package io.raftlab.core;

import io.raftlab.core.raft.Raft;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One Raft member as a pure state machine, in the style of etcd's raft library: the caller
 * feeds it time ({@link #tick()}), messages ({@link #step(Message)}) and requests, and handles
 * what comes out of {@link #ready()} before calling {@link #advance(Ready)}. No threads, clocks,
 * I/O or global randomness: the same inputs and the same seeded {@link RandomGenerator} give
 * the same outputs, byte for byte. Not thread-safe: drive it from one thread.
 */
public final class RaftNode {

  private final Raft raft;

  private RaftNode(Raft raft) {
    this.raft = raft;
  }

  /** A brand-new member with an empty log. */
  public static RaftNode create(Config config, RandomGenerator random) {
    return new RaftNode(new Raft(config, random, HardState.EMPTY, List.of()));
  }

  /**
   * A member restarting from what it persisted: its hard state and its whole log (entries with
   * consecutive indexes from 1). Throws {@link IllegalStateException} if they are inconsistent.
   */
  public static RaftNode restart(Config config, RandomGenerator random, HardState hardState, List<Entry> log) {
    return new RaftNode(new Raft(config, random, hardState, log));
  }

  public String id() {
    return raft.config().id();
  }

  public Config config() {
    return raft.config();
  }

  /** Advances logical time by one tick: election timeouts and heartbeats are counted in ticks. */
  public void tick() {
    raft.tick();
  }

  /**
   * Ticks until the next one that acts (election, heartbeat, quorum check), at least 1; the ticks
   * before it change nothing but counters. Valid until the next input.
   */
  public int ticksUntilDue() {
    return raft.ticksUntilDue();
  }

  /** Handles a message from a peer. Throws {@link InvalidMessageException} for a message it refuses. */
  public void step(Message message) {
    raft.step(message);
  }

  /** Appends a command if this node is leader; otherwise says who the leader is, if known. */
  public ProposeResult propose(byte[] data) {
    return raft.propose(data);
  }

  /**
   * Asks for a linearizable read point identified by {@code context}. On the leader it is
   * confirmed by a heartbeat round (or at once if leases are on); a follower forwards it.
   */
  public ReadRequestResult readIndex(long context) {
    return raft.readIndex(context);
  }

  /** Starts an election on this node now, skipping pre-vote and leader stickiness. */
  public void campaign() {
    raft.campaign();
  }

  /**
   * On the leader: hands leadership to {@code to} once it has caught up (TimeoutNow). Returns false
   * if this node is not leader. Throws {@link IllegalArgumentException} if {@code to} is not a member.
   */
  public boolean transferLeadership(String to) {
    return raft.transferLeadership(to);
  }

  /** A leader becomes a follower in its term, so another node will be elected. */
  public void stepDown() {
    raft.stepDown();
  }

  public boolean hasReady() {
    return raft.hasReady();
  }

  /** Collects what must be persisted, sent and applied; see {@link Ready} for the order. */
  public Ready ready() {
    return raft.ready();
  }

  /**
   * While a Ready is being handled: heartbeats and heartbeat responses that need nothing from disk
   * and may be sent at once, ahead of that Ready's messages. They are removed from the next Ready.
   * Returns an empty list when there are none or the current term is not yet durable.
   */
  public List<Message> takeHeartbeats() {
    return raft.takeHeartbeats();
  }

  /** Tells the node that {@code ready} was persisted, sent and applied. */
  public void advance(Ready ready) {
    raft.advance(ready);
  }

  public NodeStatus status() {
    return raft.status();
  }

  public Role role() {
    return raft.role();
  }

  /** The leader this node knows of, or null. */
  public String leader() {
    return raft.leader();
  }

  public long term() {
    return raft.term();
  }

  public long commitIndex() {
    return raft.commitIndex();
  }

  public long lastIndex() {
    return raft.lastIndex();
  }

  /** The term of the entry at {@code index}, or -1 if the log does not hold it. */
  public long termAt(long index) {
    return raft.termAt(index);
  }

  /** Entries in [from, to), clamped to the log (no entry at index 0). */
  public List<Entry> entries(long from, long to) {
    return raft.entries(from, to);
  }
}
