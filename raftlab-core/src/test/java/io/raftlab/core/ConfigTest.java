package io.raftlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static final List<String> THREE = List.of("n1", "n2", "n3");

  @Test
  void heartbeatNotBelowElectionTimeoutIsRefusedUnlessUnsafe() {
    assertThatThrownBy(() -> Config.builder("n1", THREE).electionTicks(5, 10).heartbeatTicks(5).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("heartbeatTicks")
        .hasMessageContaining("below electionTicksMin (5)");
    Config c = Config.builder("n1", THREE).electionTicks(5, 10).heartbeatTicks(5).unsafe(true).build();
    assertThat(c.heartbeatTicks()).isEqualTo(5);
  }

  @Test
  void badValuesNameTheParameter() {
    assertThatThrownBy(() -> Config.builder("n4", THREE).build()).hasMessageStartingWith("id:");
    assertThatThrownBy(() -> Config.builder("n1", List.of()).build()).hasMessageStartingWith("members:");
    assertThatThrownBy(() -> Config.builder("n1", List.of("n1", "n1")).build()).hasMessageContaining("appears twice");
    assertThatThrownBy(() -> Config.builder("n1", List.of("n1", "bad id")).build()).hasMessageContaining("'bad id'");
    assertThatThrownBy(() -> Config.builder("n1", THREE).electionTicks(10, 5).build()).hasMessageStartingWith("electionTicksMax");
    assertThatThrownBy(() -> Config.builder("n1", THREE).maxInflightAppends(0).build()).hasMessageStartingWith("maxInflightAppends");
    assertThatThrownBy(() -> Config.builder("n1", THREE).checkQuorum(false).leaseRead(true).build()).hasMessageStartingWith("leaseRead");
  }

  @Test
  void plantedBugsNeedTheUnsafeSwitch() {
    assertThatThrownBy(() -> Config.builder("n1", THREE).plantedBugs(Set.of(PlantedBug.READ_WITHOUT_QUORUM)).build())
        .hasMessageStartingWith("plantedBugs");
  }

  @Test
  void nineMembersHaveAQuorumOfFive() {
    List<String> nine = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i");
    assertThat(Config.builder("a", nine).build().quorum()).isEqualTo(5);
  }
}
