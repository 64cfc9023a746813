package io.raftlab.chaos.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.chaos.monitor.InvariantTracker.Sample;
import org.junit.jupiter.api.Test;

/** Each invariant raises its alarm on a bad observation and stays quiet on a good one. */
class InvariantTrackerTest {

  @Test
  void twoLeadersInOneTermIsAnElectionSafetyViolation() {
    InvariantTracker t = new InvariantTracker();
    t.observe(new Sample("n1", "LEADER", 3, 10, 1000));
    t.observe(new Sample("n1", "LEADER", 3, 11, 1100));
    t.observe(new Sample("n2", "LEADER", 4, 12, 1000));
    assertThat(t.violations()).isEmpty();
    t.observe(new Sample("n3", "LEADER", 3, 9, 1000));
    assertThat(t.violations()).singleElement().hasToString("Election Safety: term 3 has two leaders: n1 and n3");
  }

  @Test
  void aTermThatGoesBackIsAViolationEvenAcrossARestart() {
    InvariantTracker t = new InvariantTracker();
    t.observe(new Sample("n1", "FOLLOWER", 5, 10, 5000));
    t.observe(new Sample("n1", "FOLLOWER", 4, 10, 100)); // restarted, but terms are durable
    assertThat(t.violations()).singleElement().extracting(InvariantTracker.Violation::invariant).isEqualTo("Monotonic Term");
  }

  @Test
  void aCommitThatGoesBackIsAViolationOnlyWithoutARestart() {
    InvariantTracker t = new InvariantTracker();
    t.observe(new Sample("n1", "FOLLOWER", 5, 10, 5000));
    t.observe(new Sample("n1", "FOLLOWER", 5, 4, 200)); // restarted: commit is volatile, fine
    assertThat(t.violations()).isEmpty();
    t.observe(new Sample("n1", "FOLLOWER", 5, 3, 300));
    assertThat(t.violations()).singleElement().extracting(InvariantTracker.Violation::invariant).isEqualTo("Monotonic Commit");
  }

  @Test
  void committedPrefixesMustHashTheSameOnEveryNodeAndForever() {
    InvariantTracker t = new InvariantTracker();
    t.observePrefix("n1", 7, "aa");
    t.observePrefix("n2", 7, "aa");
    t.observePrefix("n1", 9, "bb");
    assertThat(t.violations()).isEmpty();
    t.observePrefix("n3", 7, "cc");
    assertThat(t.violations()).singleElement().hasToString("Committed Prefixes Agree: entries [1, 7] hash differently on n1 and n3");
  }
}
