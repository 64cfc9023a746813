package io.raftlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftNode#ticksUntilDue()} lets the server sleep through ticks that change nothing. If it
 * said too many, a sleeping node would miss an election or a heartbeat; so, over random histories,
 * the ticks before the due one must be inert, and the due one must act where acting is visible.
 */
class TicksUntilDueTest {

  @Test
  @DisplayName("§5.2 timers: the ticks before the due one change nothing, and a follower's due tick starts an election")
  void ticksBeforeTheDueOneAreInert() {
    for (long seed = 1; seed <= 60; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int size = random.nextBoolean() ? 3 : 5;
      TestNetwork net = new TestNetwork(size, b -> b.electionTicks(6, 12).heartbeatTicks(2));
      for (int step = 0; step < 80; step++) {
        switch (random.nextInt(4)) {
          case 0 -> net.tickAll(1 + random.nextInt(8));
          case 1 -> net.deliverAll();
          case 2 -> {
            String id = net.ids.get(random.nextInt(size));
            net.tick(id, 1 + random.nextInt(4));
          }
          default -> checkOne(net, net.ids.get(random.nextInt(size)), seed, step);
        }
        // Messages still queued may reset timers: drop them so the check sees the node alone.
        net.drain();
      }
    }
  }

  private static void checkOne(TestNetwork net, String id, long seed, int step) {
    RaftNode n = net.node(id);
    net.flush();
    net.drain();
    String where = "seed " + seed + " step " + step + " node " + id + " (" + n.role() + ")";
    int due = n.ticksUntilDue();
    assertThat(due).as(where).isBetween(1, 12);
    Role role = n.role();
    long term = n.term();
    for (int i = 1; i < due; i++) {
      n.tick();
      assertThat(n.role()).as(where + ": role after inert tick " + i + " of " + due).isEqualTo(role);
      assertThat(n.term()).as(where + ": term after inert tick " + i).isEqualTo(term);
      assertThat(net.drain()).as(where + ": messages after inert tick " + i + " of " + due).isEmpty();
    }
    n.tick();
    List<Message> sent = net.drain();
    if (role != Role.LEADER) {
      assertThat(n.role() != role || n.term() != term || !sent.isEmpty())
          .as(where + ": the due tick (" + due + ") starts an election").isTrue();
    } else if (n.role() == Role.LEADER) {
      assertThat(n.ticksUntilDue()).as(where + ": a leader's next timer").isBetween(1, 6);
    }
  }

  @Test
  @DisplayName("§5.2 a leader heartbeats no later than its due tick says")
  void leaderHeartbeatsWhenDue() {
    TestNetwork net = new TestNetwork(3, b -> b.electionTicks(10, 20).heartbeatTicks(3).checkQuorum(false));
    net.node("n1").campaign();
    net.deliverAll();
    RaftNode leader = net.node("n1");
    assertThat(leader.role()).isEqualTo(Role.LEADER);
    int sinceHeartbeat = 0;
    int heartbeats = 0;
    while (heartbeats < 10) {
      int due = leader.ticksUntilDue();
      assertThat(due).isBetween(1, 3);
      for (int i = 1; i < due; i++) {
        leader.tick();
        assertThat(net.drain()).isEmpty();
      }
      leader.tick();
      sinceHeartbeat += due;
      List<Message> sent = net.drain();
      if (!sent.isEmpty()) {
        // The quorum-check timer may come due first (and act invisibly); heartbeats keep their period.
        assertThat(sent).extracting(Message::type).containsOnly(MessageType.HEARTBEAT).hasSize(2);
        assertThat(sinceHeartbeat).isEqualTo(3);
        sinceHeartbeat = 0;
        heartbeats++;
      }
      assertThat(sinceHeartbeat).isLessThan(3);
    }
  }
}
