package io.raftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.raftlab.api.admin.NodeState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminClientTest {

  private final FakeKvCluster cluster = new FakeKvCluster();

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @Test
  void getStateAndStepDownReachTheChosenNode() throws Exception {
    cluster.start("n1", "n2").setLeader("n2");
    try (AdminClient a = AdminClient.connect(cluster.endpoint("n2"), Duration.ofSeconds(1), FakeKvCluster.inProcessChannels())) {
      NodeState s = a.getState();
      assertThat(s.getId()).isEqualTo("n2");
      assertThat(s.getRole()).isEqualTo("LEADER");
      assertThat(a.stepDown().getAccepted()).isTrue();
      assertThat(a.getState().getRole()).isEqualTo("FOLLOWER");
    }
  }

  @Test
  void unreachableNodeFailsWithAnAdminExceptionSayingSo() {
    try (AdminClient a = AdminClient.connect(cluster.endpoint("n9"), Duration.ofSeconds(1), FakeKvCluster.inProcessChannels())) {
      AdminException e = catchThrowableOfType(a::getState, AdminException.class);
      assertThat(e.unreachable()).isTrue();
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getMessage()).contains("GetState").contains(cluster.endpoint("n9").toString());
    }
  }

  @Test
  void logRangeWithEndBeforeStartIsRejectedBeforeSending() {
    try (AdminClient a = AdminClient.connect(cluster.endpoint("n1"), Duration.ofSeconds(1), FakeKvCluster.inProcessChannels())) {
      assertThatThrownBy(() -> a.getLog(10, 5, true)).hasMessageContaining("toIndex 5").hasMessageContaining("fromIndex 10");
      assertThatThrownBy(() -> a.getLog(-1, 0, true)).hasMessageContaining("fromIndex -1");
    }
  }
}
