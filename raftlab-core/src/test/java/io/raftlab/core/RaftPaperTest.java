package io.raftlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each test checks one rule of the Raft paper (Ongaro & Ousterhout, "In Search of an
 * Understandable Consensus Algorithm", extended version), named by its section.
 */
class RaftPaperTest {

  private static final List<String> THREE = List.of("n1", "n2", "n3");

  private static RaftNode node(String id, List<String> members, boolean preVote) {
    return RaftNode.create(Config.builder(id, members).preVote(preVote).checkQuorum(false).build(), new SplittableRandom(7));
  }

  private static Message msg(MessageType type, String from, String to, long term) {
    return Message.of(type, from, to, term).build();
  }

  private static List<Message> sent(RaftNode n) {
    return n.ready().allMessages();
  }

  private static void becomeLeader(RaftNode n) {
    n.campaign();
    Ready rd = n.ready();
    n.advance(rd);
    for (String peer : n.config().members()) {
      if (!peer.equals(n.id())) {
        n.step(Message.of(MessageType.VOTE_RESPONSE, peer, n.id(), n.term()).build());
      }
    }
  }

  /** Leader with its no-op entry durable and acknowledged by both followers (they are replicating). */
  private static void becomeLeaderWithFollowersInStep(RaftNode n) {
    becomeLeader(n);
    n.advance(n.ready());
    for (String peer : List.of("n2", "n3")) {
      n.step(Message.of(MessageType.APPEND_RESPONSE, peer, n.id(), n.term()).index(n.status().lastIndex()).build());
    }
    n.advance(n.ready());
  }

  @Test
  @DisplayName("§5.1 servers start up as followers")
  void startsAsFollower() {
    assertThat(node("n1", THREE, false).role()).isEqualTo(Role.FOLLOWER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOLLOWER", "CANDIDATE", "LEADER"})
  @DisplayName("§5.1 a server that sees a larger term updates its term and reverts to follower")
  void updatesTermFromHigherTermMessage(String roleName) {
    RaftNode n = node("n1", THREE, false);
    switch (Role.valueOf(roleName)) {
      case CANDIDATE -> n.campaign();
      case LEADER -> becomeLeader(n);
      default -> {}
    }
    n.step(Message.of(MessageType.APPEND, "n2", "n1", 9).build());
    assertThat(n.term()).isEqualTo(9);
    assertThat(n.role()).isEqualTo(Role.FOLLOWER);
    assertThat(n.leader()).isEqualTo("n2");
  }

  @Test
  @DisplayName("§5.1 a request with a stale term is rejected")
  void ignoresStaleTermRequests() {
    RaftNode n = node("n1", THREE, false);
    n.step(Message.of(MessageType.HEARTBEAT, "n2", "n1", 3).build());
    n.ready();
    n.step(Message.of(MessageType.VOTE, "n3", "n1", 2).index(100).logTerm(2).build());
    assertThat(n.term()).isEqualTo(3);
    assertThat(n.status().vote()).isNull();
    assertThat(sent(n)).noneMatch(m -> m.type() == MessageType.VOTE_RESPONSE && !m.reject());
  }

  @Test
  @DisplayName("§5.2 leaders send periodic heartbeats to all followers")
  void leaderBroadcastsHeartbeats() {
    RaftNode n = node("n1", THREE, false);
    becomeLeader(n);
    n.ready();
    n.tick();
    List<Message> msgs = sent(n);
    assertThat(msgs).filteredOn(m -> m.type() == MessageType.HEARTBEAT).extracting(Message::to)
        .containsExactlyInAnyOrder("n2", "n3");
  }

  @Test
  @DisplayName("§5.2 a follower that hears nothing for an election timeout becomes candidate, bumps its term and votes for itself")
  void followerStartsElectionOnTimeout() {
    RaftNode n = node("n1", THREE, false);
    for (int i = 0; i < 20; i++) {
      n.tick();
    }
    assertThat(n.role()).isEqualTo(Role.CANDIDATE);
    assertThat(n.term()).isEqualTo(1);
    assertThat(n.status().vote()).isEqualTo("n1");
    Ready rd = n.ready();
    assertThat(rd.hardState()).isEqualTo(new HardState(1, "n1", 0));
    // The requests may leave while the term and vote are written: the candidate's own vote
    // counts only once they are durable (see candidateCountsItsOwnVoteOnlyOnceDurable).
    assertThat(rd.earlyMessages()).extracting(Message::type).containsOnly(MessageType.VOTE);
    assertThat(rd.earlyMessages()).extracting(Message::to).containsExactlyInAnyOrder("n2", "n3");
    assertThat(rd.messages()).isEmpty();
  }

  @Test
  @DisplayName("§5.2 a candidate asks before its vote is written, but counts its own vote only once it is durable")
  void candidateCountsItsOwnVoteOnlyOnceDurable() {
    RaftNode n = node("n1", THREE, false);
    n.campaign();
    Ready writing = n.ready();
    n.step(msg(MessageType.VOTE_RESPONSE, "n2", "n1", 1));
    n.step(msg(MessageType.VOTE_RESPONSE, "n3", "n1", 1));
    assertThat(n.role()).as("every peer granted, but the self-vote is not on disk").isEqualTo(Role.CANDIDATE);
    n.advance(writing);
    assertThat(n.role()).isEqualTo(Role.LEADER);
    assertThat(n.term()).isEqualTo(1);
  }

  @Test
  @DisplayName("§5.2 a candidate that crashes before its vote is written never leads that term, so voting again in it after restart is safe")
  void candidateCrashedBeforeItsWriteMayVoteAgainInThatTerm() {
    RaftNode n = node("n1", THREE, false);
    n.campaign();
    n.ready(); // its requests leave; the write never completes
    n.step(msg(MessageType.VOTE_RESPONSE, "n2", "n1", 1));
    assertThat(n.role()).isEqualTo(Role.CANDIDATE);

    // The disk still holds term 0 and no vote: the restarted node may vote in term 1 for n3.
    RaftNode restarted = RaftNode.restart(Config.builder("n1", THREE).preVote(false).checkQuorum(false).build(),
        new SplittableRandom(7), new HardState(0, null, 0), List.of());
    restarted.step(Message.of(MessageType.VOTE, "n3", "n1", 1).index(0).logTerm(0).build());
    Ready rd = restarted.ready();
    assertThat(rd.hardState()).isEqualTo(new HardState(1, "n3", 0));
    assertThat(rd.messages()).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo(MessageType.VOTE_RESPONSE);
      assertThat(m.reject()).isFalse();
    });
  }

  @Test
  @DisplayName("§10.2.1 a leader replicates entries while it writes them, and counts itself only once they are durable")
  void leaderSendsAppendsBeforeItsOwnWriteAndCommitsOnFollowersAlone() {
    RaftNode n = node("n1", THREE, false);
    becomeLeaderWithFollowersInStep(n);
    ProposeResult p = n.propose("x".getBytes(StandardCharsets.UTF_8));
    Ready rd = n.ready();
    assertThat(rd.entries()).extracting(Entry::index).containsExactly(p.index());
    assertThat(rd.earlyMessages()).filteredOn(m -> m.type() == MessageType.APPEND).extracting(Message::to)
        .containsExactlyInAnyOrder("n2", "n3");
    assertThat(rd.messages()).noneMatch(m -> m.type() == MessageType.APPEND);
    // Both followers have the entry on disk; the leader's write is still in flight: a majority
    // holds it durably, so it commits.
    n.step(Message.of(MessageType.APPEND_RESPONSE, "n2", "n1", n.term()).index(p.index()).build());
    n.step(Message.of(MessageType.APPEND_RESPONSE, "n3", "n1", n.term()).index(p.index()).build());
    assertThat(n.status().commit()).as("%s %s", p, n.status()).isEqualTo(p.index());
  }

  @Test
  @DisplayName("§10.2.1 with one follower acknowledging, the entry waits for the leader's own write")
  void leaderCountsItselfOnlyForDurableEntries() {
    RaftNode n = node("n1", THREE, false);
    becomeLeaderWithFollowersInStep(n);
    ProposeResult p = n.propose("x".getBytes(StandardCharsets.UTF_8));
    Ready rd = n.ready();
    n.step(Message.of(MessageType.APPEND_RESPONSE, "n2", "n1", n.term()).index(p.index()).build());
    assertThat(n.status().commit()).isLessThan(p.index());
    n.advance(rd);
    assertThat(n.status().commit()).isEqualTo(p.index());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5, 9})
  @DisplayName("§5.2 a candidate wins with votes from a majority, and not with fewer")
  void candidateWinsWithMajority(int size) {
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      members.add("n" + i);
    }
    RaftNode n = node("n1", members, false);
    n.campaign();
    n.advance(n.ready()); // the self-vote is durable
    int needed = size / 2 + 1;
    for (int i = 2; i <= size; i++) {
      if (i < needed) {
        assertThat(n.role()).isEqualTo(Role.CANDIDATE);
      }
      n.step(Message.of(MessageType.VOTE_RESPONSE, "n" + i, "n1", 1).build());
    }
    assertThat(n.role()).isEqualTo(Role.LEADER);
  }

  @Test
  @DisplayName("§5.2 a candidate that a majority rejects goes back to follower")
  void candidateLosesOnMajorityRejection() {
    RaftNode n = node("n1", THREE, false);
    n.campaign();
    n.step(Message.of(MessageType.VOTE_RESPONSE, "n2", "n1", 1).reject(true).build());
    n.step(Message.of(MessageType.VOTE_RESPONSE, "n3", "n1", 1).reject(true).build());
    assertThat(n.role()).isEqualTo(Role.FOLLOWER);
  }

  @Test
  @DisplayName("§5.2 each server votes for at most one candidate in a term, first come first served")
  void votesAtMostOncePerTerm() {
    RaftNode n = node("n1", THREE, false);
    n.step(Message.of(MessageType.VOTE, "n2", "n1", 1).build());
    n.step(Message.of(MessageType.VOTE, "n3", "n1", 1).build());
    n.step(Message.of(MessageType.VOTE, "n2", "n1", 1).build()); // a retry is granted again
    List<Message> msgs = sent(n);
    assertThat(msgs).extracting(m -> m.to() + (m.reject() ? ":no" : ":yes"))
        .containsExactly("n2:yes", "n3:no", "n2:yes");
  }

  @Test
  @DisplayName("§5.2 a candidate that gets AppendEntries from a leader of its term steps down")
  void candidateStepsDownForLeaderOfSameTerm() {
    RaftNode n = node("n1", THREE, false);
    n.campaign();
    n.step(Message.of(MessageType.APPEND, "n2", "n1", 1).build());
    assertThat(n.role()).isEqualTo(Role.FOLLOWER);
    assertThat(n.leader()).isEqualTo("n2");
    assertThat(n.term()).isEqualTo(1);
  }

  @Test
  @DisplayName("§5.2 election timeouts are chosen randomly from the configured range")
  void electionTimeoutIsRandomizedWithinRange() {
    Set<Integer> seen = new HashSet<>();
    for (int seed = 0; seed < 200; seed++) {
      RaftNode n = RaftNode.create(Config.builder("n1", THREE).electionTicks(10, 20).preVote(false).build(), new SplittableRandom(seed));
      int ticks = 0;
      while (n.role() == Role.FOLLOWER) {
        n.tick();
        ticks++;
      }
      assertThat(ticks).isBetween(10, 20);
      seen.add(ticks);
    }
    assertThat(seen).hasSizeGreaterThan(8);
  }

  @Test
  @DisplayName("§5.3 the leader appends a command, replicates it, and applies it once a majority stores it")
  void leaderCommitsAfterMajorityReplicates() {
    TestNetwork net = new TestNetwork(5);
    net.elect("n1");
    net.isolate("n4");
    net.isolate("n5");
    ProposeResult r = net.propose("n1", "x");
    assertThat(r.accepted()).isTrue();
    assertThat(net.appliedData("n1")).containsExactly("x");
    net.isolate("n3");
    net.propose("n1", "y");
    assertThat(net.appliedData("n1")).containsExactly("x"); // only 2 of 5 hold y
  }

  @Test
  @DisplayName("§5.3 followers learn the leader's commit index and apply entries in log order")
  void followersApplyWhatTheLeaderCommitted() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.propose("n1", "a");
    net.propose("n1", "b");
    net.tickAll(1);
    assertThat(net.appliedData("n2")).containsExactly("a", "b");
    assertThat(net.appliedData("n3")).containsExactly("a", "b");
  }

  @Test
  @DisplayName("§5.3 a follower refuses AppendEntries whose previous entry it does not hold")
  void followerChecksPreviousEntry() {
    RaftNode n = node("n1", THREE, false);
    n.step(Message.of(MessageType.APPEND, "n2", "n1", 2).index(5).logTerm(2).build());
    Message resp = sent(n).get(0);
    assertThat(resp.type()).isEqualTo(MessageType.APPEND_RESPONSE);
    assertThat(resp.reject()).isTrue();
    assertThat(resp.index()).isEqualTo(5);
    assertThat(resp.rejectHint()).isEqualTo(0);
  }

  @Test
  @DisplayName("§5.3 a conflicting entry and all that follow it are deleted, then new entries appended")
  void followerTruncatesConflictingSuffix() {
    TestNetwork net = new TestNetwork(3);
    net.load("n1", 3, 1, 1, 2, 2);
    RaftNode n = net.node("n1");
    n.step(Message.of(MessageType.APPEND, "n2", "n1", 3).index(2).logTerm(1)
        .entries(List.of(Entry.normal(3, 3, new byte[0]))).build());
    assertThat(net.logTerms("n1")).containsExactly(1L, 1L, 3L);
    Ready rd = n.ready();
    assertThat(rd.entries()).extracting(Entry::index).containsExactly(3L);
  }

  @Test
  @DisplayName("§5.3 Figure 7: a new leader brings each follower's log (a-f) into agreement with its own")
  void leaderSyncsEveryFigure7FollowerLog() {
    long[] leaderLog = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
    long[][] followers = {
        {1, 1, 1, 4, 4, 5, 5, 6, 6},
        {1, 1, 1, 4},
        {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},
        {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7},
        {1, 1, 1, 4, 4, 4, 4},
        {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3},
    };
    for (long[] follower : followers) {
      TestNetwork net = new TestNetwork(3, b -> b.preVote(false));
      net.load("n1", 8, leaderLog);
      net.load("n2", 8, follower);
      net.load("n3", 8, leaderLog);
      net.elect("n1");
      assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
      net.tickAll(3);
      List<Long> expected = new ArrayList<>();
      for (long t : leaderLog) {
        expected.add(t);
      }
      expected.add(9L); // the new leader's no-op
      assertThat(net.logTerms("n2")).as("follower log %s", java.util.Arrays.toString(follower)).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("§5.3 fast back-off: a rejection's hint lets the leader skip a whole term per round trip")
  void rejectionHintSkipsAWholeTerm() {
    // Figure 7 (f): the follower has 8 entries of terms 2 and 3 the leader never had.
    TestNetwork net = new TestNetwork(3, b -> b.preVote(false));
    net.load("n1", 8, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
    net.load("n2", 8, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
    net.load("n3", 8, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
    net.cut.add("n1>n3");
    net.cut.add("n3>n1");
    net.node("n1").campaign();
    net.flush();
    int rejections = 0;
    while (!net.queue.isEmpty()) {
      Message m = net.queue.peekFirst();
      if (m.type() == MessageType.APPEND_RESPONSE && m.reject()) {
        rejections++;
      }
      net.deliverOne();
    }
    assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
    assertThat(net.logTerms("n2").subList(0, 10)).containsExactly(1L, 1L, 1L, 4L, 4L, 5L, 5L, 6L, 6L, 6L);
    // One entry at a time would take 8 rejections (indexes 10 down to 3); hints take at most 2.
    assertThat(rejections).isBetween(1, 2);
  }

  @Test
  @DisplayName("§5.4.1 a voter denies its vote to a candidate whose log is less up-to-date")
  void voterRejectsOutOfDateCandidate() {
    TestNetwork net = new TestNetwork(3);
    net.load("n1", 2, 1, 2);
    RaftNode n = net.node("n1");
    n.step(Message.of(MessageType.VOTE, "n2", "n1", 3).index(5).logTerm(1).build()); // older last term
    n.step(Message.of(MessageType.VOTE, "n3", "n1", 3).index(1).logTerm(2).build()); // same term, shorter
    List<Message> msgs = sent(n);
    assertThat(msgs).filteredOn(m -> m.type() == MessageType.VOTE_RESPONSE).allMatch(Message::reject);
    n.step(Message.of(MessageType.VOTE, "n3", "n1", 4).index(2).logTerm(2).build()); // as up-to-date
    assertThat(sent(n)).filteredOn(m -> m.type() == MessageType.VOTE_RESPONSE).noneMatch(Message::reject);
  }

  @Test
  @DisplayName("§5.4.2 Figure 8: a leader never commits an entry of an earlier term by counting replicas")
  void leaderDoesNotCommitOldTermEntryByCounting() {
    TestNetwork net = new TestNetwork(3, b -> b.preVote(false));
    net.load("n1", 3, 1, 2); // entry 2 from term 2, written by an earlier leader
    net.load("n2", 3, 1);
    net.load("n3", 3, 1);
    net.cut.add("n1>n3");
    net.cut.add("n3>n1");
    net.node("n1").campaign(); // term 4; n2 votes
    net.flush();
    // Deliver the vote round, then let n2 store the old entry but not the new term's no-op.
    RaftNode leader = net.node("n1");
    while (leader.role() != Role.LEADER) {
      net.deliverOne();
    }
    net.drain();
    // n2 acknowledges index 2 (the term-2 entry) but not yet the term-4 no-op at index 3.
    leader.step(Message.of(MessageType.APPEND_RESPONSE, "n2", "n1", leader.term()).index(2).build());
    net.flush();
    assertThat(leader.commitIndex()).as("old-term entry 2 replicated on 2 of 3").isZero();
    leader.step(Message.of(MessageType.APPEND_RESPONSE, "n2", "n1", leader.term()).index(3).build());
    net.flush();
    assertThat(leader.commitIndex()).as("the term-4 no-op commits it, and entry 2 with it").isEqualTo(3);
  }

  @Test
  @DisplayName("§5.4.2 with the Figure 8 bug planted, the leader does commit an old-term entry by counting")
  void plantedFigure8BugCommitsOldTermEntry() {
    TestNetwork net = new TestNetwork(3, b -> b.preVote(false).unsafe(true).plantedBugs(Set.of(PlantedBug.COMMIT_OLD_TERM_BY_COUNT)));
    net.load("n1", 3, 1, 2);
    net.load("n2", 3, 1);
    net.load("n3", 3, 1);
    RaftNode leader = net.node("n1");
    leader.campaign();
    net.flush();
    leader.step(Message.of(MessageType.VOTE_RESPONSE, "n2", "n1", leader.term()).build());
    net.drain();
    leader.step(Message.of(MessageType.APPEND_RESPONSE, "n2", "n1", leader.term()).index(2).build());
    assertThat(leader.commitIndex()).isEqualTo(2);
  }

  @Test
  @DisplayName("§5.5 a restarted node keeps its term, vote and log")
  void restartKeepsTermVoteAndLog() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.propose("n1", "a");
    net.crash("n2");
    net.restart("n2");
    assertThat(net.node("n2").term()).isEqualTo(net.node("n1").term());
    assertThat(net.node("n2").status().vote()).isEqualTo("n1");
    assertThat(net.logTerms("n2")).isEqualTo(net.logTerms("n1"));
    net.tickAll(1);
    assertThat(net.appliedData("n2")).containsExactly("a");
  }

  @Test
  @DisplayName("§5.5 restart refuses a persisted state whose commit index is past the log")
  void restartRefusesCommitBeyondLog() {
    Config cfg = Config.builder("n1", THREE).build();
    assertThatThrownBy(() -> RaftNode.restart(cfg, new SplittableRandom(1), new HardState(2, null, 5), List.of(Entry.normal(1, 1, null))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("commit index 5")
        .hasMessageContaining("last log index 1");
  }

  @Test
  @DisplayName("§8 a read is answered only after a heartbeat round confirms leadership")
  void readIndexWaitsForHeartbeatQuorum() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.propose("n1", "a");
    RaftNode leader = net.node("n1");
    assertThat(leader.readIndex(42)).isEqualTo(ReadRequestResult.ACCEPTED);
    net.flush();
    assertThat(net.readStates.get("n1")).isEmpty();
    net.deliverAll();
    assertThat(net.readStates.get("n1")).containsExactly(new ReadState(42, leader.commitIndex()));
  }

  @Test
  @DisplayName("§8 a leader cut off from the majority never confirms a read")
  void isolatedLeaderCannotServeReads() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.isolate("n1");
    net.node("n1").readIndex(7);
    net.deliverAll();
    net.tick("n1", 3);
    net.deliverAll();
    assertThat(net.readStates.get("n1")).isEmpty();
  }

  @Test
  @DisplayName("§8 a new leader defers reads until it has committed an entry of its own term")
  void newLeaderDefersReadsUntilItCommitsInItsTerm() {
    TestNetwork net = new TestNetwork(3);
    RaftNode n1 = net.node("n1");
    n1.campaign();
    net.flush();
    while (n1.role() != Role.LEADER) {
      net.deliverOne();
    }
    n1.readIndex(1);
    net.flush();
    assertThat(net.readStates.get("n1")).isEmpty();
    net.deliverAll();
    assertThat(net.readStates.get("n1")).hasSize(1);
    assertThat(net.readStates.get("n1").get(0).index()).isEqualTo(n1.commitIndex()).isPositive();
  }

  @Test
  @DisplayName("§8 a follower forwards a read to the leader and gets the read point back")
  void followerForwardsReadIndex() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.propose("n1", "a");
    assertThat(net.node("n2").readIndex(5)).isEqualTo(ReadRequestResult.FORWARDED);
    net.deliverAll();
    assertThat(net.readStates.get("n2")).containsExactly(new ReadState(5, net.node("n1").commitIndex()));
  }

  @Test
  @DisplayName("§8 a follower that receives a proposal reports who the leader is")
  void followerReportsLeaderOnPropose() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    ProposeResult r = net.node("n2").propose(new byte[] {1});
    assertThat(r.status()).isEqualTo(ProposeResult.Status.NOT_LEADER);
    assertThat(r.leader()).isEqualTo("n1");
  }

  @Test
  @DisplayName("Dissertation §9.6 pre-vote: an isolated node does not inflate its term")
  void preVoteKeepsIsolatedNodeTermStable() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    long term = net.node("n1").term();
    net.isolate("n3");
    net.tickAll(200);
    assertThat(net.node("n3").term()).isEqualTo(term);
    net.heal();
    net.tickAll(30);
    assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
    assertThat(net.node("n1").term()).isEqualTo(term);
  }

  @Test
  @DisplayName("Dissertation §6.2 check-quorum: a leader that cannot reach a majority steps down")
  void checkQuorumStepsDownIsolatedLeader() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.isolate("n1");
    net.tick("n1", 25);
    assertThat(net.node("n1").role()).isEqualTo(Role.FOLLOWER);
  }

  @Test
  @DisplayName("Dissertation §4.2.3 a follower that hears from its leader ignores a disruptive vote request")
  void followerInLeaseIgnoresVoteRequest() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    RaftNode n2 = net.node("n2");
    long term = n2.term();
    n2.step(Message.of(MessageType.VOTE, "n3", "n2", term + 1).index(100).logTerm(term).build());
    assertThat(n2.term()).isEqualTo(term);
    assertThat(n2.leader()).isEqualTo("n1");
  }

  @Test
  @DisplayName("Dissertation §3.10 leader transfer: the leader catches the target up, then sends TimeoutNow")
  void leaderTransferHandsOverToTarget() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    net.isolate("n3");
    net.propose("n1", "a");
    net.heal();
    assertThat(net.node("n1").transferLeadership("n3")).isTrue();
    assertThat(net.node("n1").propose(new byte[] {1}).status()).isEqualTo(ProposeResult.Status.TRANSFERRING);
    net.deliverAll();
    assertThat(net.node("n3").role()).isEqualTo(Role.LEADER);
    assertThat(net.node("n1").role()).isEqualTo(Role.FOLLOWER);
    net.propose("n3", "b");
    net.tickAll(1);
    assertThat(net.appliedData("n1")).containsExactly("a", "b");
  }

  @Test
  @DisplayName("§5.3 pipelining: a follower in replicate state gets at most maxInflightAppends unacknowledged appends")
  void inflightAppendsAreBounded() {
    TestNetwork net = new TestNetwork(2, b -> b.maxInflightAppends(3).maxEntriesPerAppend(1));
    net.elect("n1");
    RaftNode leader = net.node("n1");
    for (int i = 0; i < 10; i++) {
      leader.propose(("p" + i).getBytes(StandardCharsets.UTF_8));
    }
    List<Message> out = net.drain();
    assertThat(out).filteredOn(m -> m.type() == MessageType.APPEND && !m.entries().isEmpty()).hasSize(3);
  }

  @Test
  @DisplayName("§5.3 batching: proposals made between two Readies leave in one AppendEntries per follower")
  void proposalsAreBatched() {
    TestNetwork net = new TestNetwork(3);
    net.elect("n1");
    RaftNode leader = net.node("n1");
    for (int i = 0; i < 50; i++) {
      leader.propose(new byte[] {(byte) i});
    }
    List<Message> out = net.drain();
    assertThat(out).filteredOn(m -> m.type() == MessageType.APPEND).hasSize(2)
        .allSatisfy(m -> assertThat(m.entries()).hasSize(50));
  }

  @Test
  @DisplayName("messages from a node that is not a member are refused with a clear error")
  void unknownSenderIsRefused() {
    RaftNode n = node("n1", THREE, false);
    assertThatThrownBy(() -> n.step(msg(MessageType.APPEND, "n9", "n1", 1)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("'n9'")
        .hasMessageContaining("not a member");
    assertThatThrownBy(() -> n.step(msg(MessageType.APPEND, "n2", "n3", 1)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("addressed to 'n3'");
  }
}
