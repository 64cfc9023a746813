package io.raftlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void threeNodesElectAndReplicate() {
    TestNetwork net = new TestNetwork(3);
    net.tickAll(30);
    String leader = null;
    for (String id : net.ids) {
      if (net.node(id).role() == Role.LEADER) {
        assertThat(leader).isNull();
        leader = id;
      }
    }
    assertThat(leader).isNotNull();
    assertThat(net.propose(leader, "a").accepted()).isTrue();
    net.tickAll(2);
    for (String id : net.ids) {
      assertThat(net.appliedData(id)).containsExactly("a");
    }
  }

  @Test
  void singleNodeCommitsAlone() {
    TestNetwork net = new TestNetwork(1);
    net.tickAll(25);
    assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
    net.propose("n1", "x");
    assertThat(net.appliedData("n1")).containsExactly("x");
  }
}
