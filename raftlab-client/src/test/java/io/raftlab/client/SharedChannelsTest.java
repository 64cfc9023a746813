package io.raftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedChannelsTest {

  private final FakeKvCluster cluster = new FakeKvCluster();

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  /** A client of node n1 whose channels come from {@code channels}. */
  private RaftlabClient client(SharedChannels channels) {
    return RaftlabClient.connect(List.of(cluster.endpoint("n1")), ClientOptions.builder().callTimeout(Duration.ofSeconds(2))
        .totalDeadline(Duration.ofSeconds(5)).backoff(Duration.ofMillis(1), Duration.ofMillis(5)).channelFactory(channels).build());
  }

  @Test
  void clientsKeepTheirOwnSessionsOverOneSharedChannel() throws Exception {
    cluster.start("n1").setLeader("n1");
    try (SharedChannels channels = new SharedChannels(FakeKvCluster.inProcessChannels())) {
      RaftlabClient a = client(channels);
      RaftlabClient b = client(channels);
      a.put("x", "1");
      b.put("y", "2");
      a.put("x", "3");

      assertThat(a.clientId()).isNotEqualTo(b.clientId());
      assertThat(cluster.received()).filteredOn(r -> a.clientId().equals(r.clientId()))
          .extracting(FakeKvCluster.Received::sequence).containsExactly(1L, 2L);
      assertThat(cluster.received()).filteredOn(r -> b.clientId().equals(r.clientId()))
          .extracting(FakeKvCluster.Received::sequence).containsExactly(1L);
      a.close();
      b.close();
    }
  }

  @Test
  void closingOneClientLeavesTheSharedChannelToTheOthers() throws Exception {
    cluster.start("n1").setLeader("n1");
    try (SharedChannels channels = new SharedChannels(FakeKvCluster.inProcessChannels())) {
      RaftlabClient first = client(channels);
      RaftlabClient second = client(channels);
      first.put("k", "v");
      second.put("k", "w");
      first.close();

      assertThat(second.put("k", "after").info().nodeId()).isEqualTo("n1");
      assertThat(cluster.store()).containsEntry("k", "after");
      second.close();
    }
  }

  @Test
  void closingTheFactoryEndsItsChannelsAndRefusesNewOnes() throws Exception {
    cluster.start("n1").setLeader("n1");
    SharedChannels channels = new SharedChannels(FakeKvCluster.inProcessChannels());
    RaftlabClient c = client(channels);
    c.put("k", "v");
    channels.close();

    assertThatThrownBy(() -> c.put("k", "w")).isInstanceOf(KvException.class);
    assertThatThrownBy(() -> channels.open(cluster.endpoint("n1"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    c.close();
  }
}
