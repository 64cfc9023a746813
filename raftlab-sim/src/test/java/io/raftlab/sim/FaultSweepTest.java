package io.raftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The CI sweep: thousands of seeds with every fault on (drops, duplicates, delays and reordering,
 * partitions including one-way and overlapping ones, crashes and restarts, pauses, leadership
 * transfers), no violation allowed. A step is one simulator event (tick, delivery, disk write
 * completing, client or fault event).
 */
class FaultSweepTest {

  private static final int THREADS = 2;

  private static String failures(SeedSweep.Summary s) {
    StringBuilder sb = new StringBuilder();
    s.violations().stream().limit(3).forEach(v -> sb.append(v.violationReport()).append('\n'));
    return sb.toString();
  }

  @Test
  void twoThousandSeedsOfTwoThousandStepsWithFaultsHaveNoViolation() {
    SimOptions o = SimOptions.defaults();
    assertThat(o.dropRate()).isPositive();
    assertThat(o.dupRate()).isPositive();
    assertThat(o.partitionRate()).isPositive();
    assertThat(o.killRate()).isPositive();
    SeedSweep.Summary s = new SeedSweep(o, 2000, THREADS).run(1, 2000, false, null);
    assertThat(s.seeds()).isEqualTo(2000);
    assertThat(s.steps()).isEqualTo(2000L * 2000);
    assertThat(s.violations()).as(failures(s)).isEmpty();
    // The sweep exercised the cluster: leaders were elected, entries committed, faults injected.
    assertThat(s.elections()).isGreaterThan(2000);
    assertThat(s.commits()).isGreaterThan(20_000);
    assertThat(s.faults()).isGreaterThan(4000);
    assertThat(s.clientOk()).isGreaterThan(20_000);
  }

  @Test
  void threeNodeSevenNodeAndNineNodeClustersHaveNoViolation() {
    for (int nodes : new int[] {3, 7, 9}) {
      SimOptions o = SimOptions.builder().nodes(nodes).build();
      SeedSweep.Summary s = new SeedSweep(o, 2000, THREADS).run(1, 150, false, null);
      assertThat(s.violations()).as(nodes + " nodes: " + failures(s)).isEmpty();
      assertThat(s.commits()).as(nodes + " nodes commit").isPositive();
    }
  }

  @Test
  void singleNodeClusterCommitsAndHasNoViolation() {
    SimOptions o = SimOptions.builder().nodes(1).build();
    SeedSweep.Summary s = new SeedSweep(o, 2000, THREADS).run(1, 100, false, null);
    assertThat(s.violations()).as(failures(s)).isEmpty();
    assertThat(s.commits()).isPositive();
  }

  @Test
  void withoutFaultsEveryRunCommitsClientWrites() {
    SimOptions o = SimOptions.defaults().withoutFaults();
    for (long seed = 1; seed <= 20; seed++) {
      SimResult r = new Simulation(seed, o).run(3000);
      assertThat(r.violated()).as(r.violationReport()).isFalse();
      assertThat(r.committed()).as("seed " + seed).isGreaterThan(10);
      assertThat(r.clientInfo()).as("seed " + seed).isZero();
    }
  }
}
