package io.raftlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftNode#takeHeartbeats()}: while one Ready is being written, heartbeats and their
 * responses may leave at once, because they carry nothing that must be on disk first. What does
 * depend on the disk (a term or vote not yet written, votes, appends' acknowledgements) must still
 * wait for its Ready.
 */
class HeartbeatsDuringWriteTest {

  private static TestNetwork cluster() {
    TestNetwork net = new TestNetwork(3, b -> b.electionTicks(10, 20).heartbeatTicks(2).checkQuorum(true));
    net.elect("n1");
    return net;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("§5.2 a leader writing entries still heartbeats on time, and each heartbeat leaves once")
  void leaderHeartbeatsWhileItsWriteIsInFlight() {
    TestNetwork net = cluster();
    RaftNode leader = net.node("n1");
    leader.propose(bytes("x"));
    Ready writing = leader.ready();
    assertThat(writing.entries()).hasSize(1);

    leader.tick();
    leader.tick();
    List<Message> now = leader.takeHeartbeats();
    assertThat(now).extracting(Message::type).containsOnly(MessageType.HEARTBEAT);
    assertThat(now).extracting(Message::to).containsExactlyInAnyOrder("n2", "n3");
    assertThat(now).allSatisfy(m -> assertThat(m.term()).isEqualTo(leader.term()));
    assertThat(leader.takeHeartbeats()).isEmpty();

    leader.advance(writing);
    Ready next = leader.ready();
    assertThat(next.allMessages()).extracting(Message::type).doesNotContain(MessageType.HEARTBEAT);
  }

  @Test
  @DisplayName("§5.3 a follower writing appended entries answers the leader's heartbeat at once")
  void followerAnswersHeartbeatWhileWriting() {
    TestNetwork net = cluster();
    RaftNode follower = net.node("n2");
    long term = follower.term();
    follower.step(Message.of(MessageType.APPEND, "n1", "n2", term)
        .index(follower.lastIndex()).logTerm(follower.termAt(follower.lastIndex()))
        .entries(List.of(Entry.normal(term, follower.lastIndex() + 1, bytes("y"))))
        .commit(follower.commitIndex()).build());
    Ready writing = follower.ready();
    assertThat(writing.entries()).hasSize(1);

    follower.step(Message.of(MessageType.HEARTBEAT, "n1", "n2", term).commit(follower.commitIndex()).context(7).build());
    List<Message> now = follower.takeHeartbeats();
    assertThat(now).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo(MessageType.HEARTBEAT_RESPONSE);
      assertThat(m.context()).isEqualTo(7);
    });
    // The append's acknowledgement says the entry is stored: it still waits for the write.
    assertThat(writing.earlyMessages()).isEmpty();
    assertThat(writing.messages()).extracting(Message::type).containsExactly(MessageType.APPEND_RESPONSE);
    follower.advance(writing);
    assertThat(follower.ready().allMessages()).extracting(Message::type).doesNotContain(MessageType.HEARTBEAT_RESPONSE);
  }

  @Test
  @DisplayName("§5.1 a response in a term not yet on disk waits until the term is written")
  void newTermWaitsForTheDisk() {
    TestNetwork net = cluster();
    RaftNode follower = net.node("n3");
    long newTerm = follower.term() + 1;
    follower.step(Message.of(MessageType.HEARTBEAT, "n2", "n3", newTerm).commit(0).build());
    assertThat(follower.takeHeartbeats()).isEmpty();
    Ready rd = follower.ready();
    assertThat(rd.hardState().term()).isEqualTo(newTerm);
    assertThat(rd.earlyMessages()).isEmpty();
    assertThat(rd.messages()).extracting(Message::type).containsExactly(MessageType.HEARTBEAT_RESPONSE);

    // Another heartbeat arrives while that hard state is still being written: it waits too.
    follower.step(Message.of(MessageType.HEARTBEAT, "n2", "n3", newTerm).commit(0).build());
    assertThat(follower.takeHeartbeats()).isEmpty();
    follower.advance(rd);
    assertThat(follower.takeHeartbeats()).extracting(Message::type).containsExactly(MessageType.HEARTBEAT_RESPONSE);
  }

  @Test
  @DisplayName("§5.2 a candidate's vote requests leave with its Ready, before its vote's write, and are not taken as heartbeats")
  void candidateVoteRequestsLeaveBeforeTheVote() {
    TestNetwork net = cluster();
    RaftNode n2 = net.node("n2");
    n2.campaign();
    assertThat(n2.takeHeartbeats()).isEmpty();
    Ready rd = n2.ready();
    assertThat(rd.hardState().vote()).isEqualTo("n2");
    assertThat(rd.earlyMessages()).extracting(Message::type).containsOnly(MessageType.VOTE);
    assertThat(rd.messages()).isEmpty();
  }

  @Test
  @DisplayName("§6.4 a read round completes while the leader's write is in flight")
  void readRoundConfirmedDuringWrite() {
    TestNetwork net = cluster();
    RaftNode leader = net.node("n1");
    leader.propose(bytes("x"));
    Ready writing = leader.ready();
    assertThat(leader.readIndex(42)).isEqualTo(ReadRequestResult.ACCEPTED);
    List<Message> round = leader.takeHeartbeats();
    assertThat(round).hasSize(2).allSatisfy(m -> assertThat(m.context()).isPositive());
    for (Message hb : round) {
      RaftNode f = net.node(hb.to());
      f.step(hb);
      for (Message resp : f.takeHeartbeats()) {
        leader.step(resp);
      }
    }
    leader.advance(writing);
    Ready next = leader.ready();
    assertThat(next.readStates()).extracting(ReadState::context).containsExactly(42L);
    assertThat(next.readStates().get(0).index()).isEqualTo(writing.entries().get(0).index() - 1);
  }
}
