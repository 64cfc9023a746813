package io.raftlab.sim.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.sim.event.EventQueue;
import io.raftlab.sim.event.SimEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

  private final EventQueue queue = new EventQueue();

  private SimulatedNetwork network(double drop, double dup) {
    return new SimulatedNetwork(3, queue, new SplittableRandom(1), drop, dup, 1_000, 5_000, 0, 0);
  }

  private static Message msg(String from, String to, long term) {
    return Message.of(MessageType.HEARTBEAT, from, to, term).build();
  }

  /** Delivers everything queued; returns the messages that got through. */
  private List<Message> drain(SimulatedNetwork net) {
    List<Message> got = new ArrayList<>();
    SimEvent e;
    while ((e = queue.poll()) != null) {
      if (net.arrives(e)) {
        got.add(e.message);
      }
    }
    return got;
  }

  @Test
  void oneWayPartitionBlocksExactlyOneDirection() {
    SimulatedNetwork net = network(0, 0);
    net.block(0, 1);
    net.send(0, 1, msg("n1", "n2", 1));
    net.send(1, 0, msg("n2", "n1", 1));
    net.send(0, 2, msg("n1", "n3", 1));
    net.send(2, 1, msg("n3", "n2", 1));
    List<Message> got = drain(net);
    assertThat(got).extracting(Message::from, Message::to)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("n2", "n1"),
            org.assertj.core.groups.Tuple.tuple("n1", "n3"),
            org.assertj.core.groups.Tuple.tuple("n3", "n2"));
    assertThat(net.linkOpen(0, 1)).isFalse();
    assertThat(net.linkOpen(1, 0)).isTrue();
    assertThat(net.cutByPartition()).isEqualTo(1);
  }

  @Test
  void healRestoresTheLinkAndOverlappingPartitionsNeedEachHeal() {
    SimulatedNetwork net = network(0, 0);
    net.block(0, 1);
    net.block(0, 1); // a second, overlapping partition over the same link
    net.unblock(0, 1);
    net.send(0, 1, msg("n1", "n2", 1));
    assertThat(drain(net)).isEmpty();
    net.unblock(0, 1);
    net.send(0, 1, msg("n1", "n2", 1));
    assertThat(drain(net)).hasSize(1);
    assertThatThrownBy(() -> net.unblock(0, 1)).hasMessageContaining("is not blocked");
  }

  @Test
  void partitionStartedWhileAMessageIsInFlightCutsIt() {
    SimulatedNetwork net = network(0, 0);
    net.send(0, 1, msg("n1", "n2", 1));
    net.block(0, 1);
    assertThat(drain(net)).isEmpty();
  }

  @Test
  void duplicationDeliversTwice() {
    SimulatedNetwork net = network(0, 1.0);
    Message m = msg("n1", "n2", 7);
    net.send(0, 1, m);
    assertThat(drain(net)).containsExactly(m, m);
    assertThat(net.duplicated()).isEqualTo(1);
  }

  @Test
  void dropRateOneDropsEverything() {
    SimulatedNetwork net = network(1.0, 0);
    for (int i = 0; i < 100; i++) {
      net.send(0, 1, msg("n1", "n2", i));
    }
    assertThat(drain(net)).isEmpty();
    assertThat(net.dropped()).isEqualTo(100);
  }

  @Test
  void randomDelaysStayInBoundsAndReorderMessages() {
    SimulatedNetwork net = network(0, 0);
    for (int i = 0; i < 200; i++) {
      net.send(0, 1, msg("n1", "n2", i));
    }
    List<Long> terms = new ArrayList<>();
    SimEvent e;
    while ((e = queue.poll()) != null) {
      assertThat(e.time()).isBetween(1_000L, 5_000L);
      terms.add(e.message.term());
    }
    assertThat(terms).hasSize(200).isNotEqualTo(terms.stream().sorted().toList());
  }

  @Test
  void badNodeIndexIsNamed() {
    SimulatedNetwork net = network(0, 0);
    assertThatThrownBy(() -> net.block(0, 3)).hasMessageContaining("node index must be in 0..2, got 3");
  }

  @Test
  void partitionShapesCutOnlyTheirLinks() {
    boolean[] side = {true, false, false};
    Partition oneWay = Partition.between("one-way-out", side, true, false);
    assertThat(oneWay.links()).extracting(l -> l[0] + "->" + l[1]).containsExactlyInAnyOrder("0->1", "0->2");
    Partition both = Partition.between("isolate", side, true, true);
    assertThat(both.links()).hasSize(4);
    for (long seed = 0; seed < 200; seed++) {
      Partition p = Partition.random(5, new SplittableRandom(seed));
      assertThat(p.links()).allSatisfy(l -> assertThat(l[0]).isNotEqualTo(l[1]));
    }
  }
}
