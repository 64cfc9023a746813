package io.raftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.PlantedBug;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimOptionsTest {

  @Test
  void badValuesNameTheParameterAndTheAllowedRange() {
    assertThatThrownBy(() -> SimOptions.builder().dropRate(1.5).build())
        .hasMessage("drop-rate must be in 0..1, got 1.5");
    assertThatThrownBy(() -> SimOptions.builder().nodes(0).build()).hasMessage("nodes must be in 1..64, got 0");
    assertThatThrownBy(() -> SimOptions.builder().delayMinMicros(10).delayMaxMicros(5).build())
        .hasMessage("delay-max-us must be in 10..10000000, got 5");
    assertThatThrownBy(() -> SimOptions.builder().readFraction(0.7).casFraction(0.5).build())
        .hasMessageContaining("read-fraction + cas-fraction must be <= 1");
  }

  @Test
  void defaultsHaveEveryFaultOnAndWithoutFaultsTurnsThemOff() {
    SimOptions d = SimOptions.defaults();
    assertThat(d.dropRate() * d.dupRate() * d.longDelayRate() * d.partitionRate() * d.killRate() * d.pauseRate())
        .isPositive();
    SimOptions quiet = d.withoutFaults();
    assertThat(quiet.dropRate() + quiet.dupRate() + quiet.partitionRate() + quiet.killRate() + quiet.pauseRate())
        .isZero();
  }

  @Test
  void flagsListOnlyWhatDiffersFromTheBugProfile() {
    assertThat(SimOptions.defaults().flagsDifferingFromProfile()).isEmpty();
    SimOptions bug = SimOptions.profileFor(Set.of(PlantedBug.READ_WITHOUT_QUORUM));
    assertThat(bug.flagsDifferingFromProfile()).containsExactly("--bug", "READ_WITHOUT_QUORUM");
    SimOptions tweaked = bug.toBuilder().dropRate(0.25).killRate(3).build();
    assertThat(tweaked.flagsDifferingFromProfile())
        .containsExactly("--bug", "READ_WITHOUT_QUORUM", "--drop-rate", "0.25", "--kill-rate", "3");
  }

  @Test
  void plantedBugsMakeTheCoreConfigUnsafe() {
    SimOptions bug = SimOptions.profileFor(Set.of(PlantedBug.VOTE_WITHOUT_LOG_CHECK));
    var config = bug.coreConfig(java.util.List.of("n1", "n2", "n3"));
    assertThat(config.unsafe()).isTrue();
    assertThat(config.plantedBugs()).containsExactly(PlantedBug.VOTE_WITHOUT_LOG_CHECK);
    assertThat(SimOptions.defaults().coreConfig(java.util.List.of("n1")).unsafe()).isFalse();
  }
}
