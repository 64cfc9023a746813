package io.raftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.core.PlantedBug;
import io.raftlab.sim.invariant.Property;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Teeth: with a bug planted in the core, a sweep over the bug's fault profile finds a violation of
 * the property the bug breaks within a stated number of seeds. The assertions name the property,
 * so removing (or skipping) that check makes the test fail. Each test also runs the same profile
 * without the bug over the same seeds and expects no violation, so the finding is the bug's doing.
 */
class PlantedBugDetectionTest {

  private static SimResult firstViolation(PlantedBug bug, int nodes, long steps, long bound) {
    SimOptions o = SimOptions.profileFor(Set.of(bug)).toBuilder().nodes(nodes).build();
    SeedSweep.Summary s = new SeedSweep(o, steps, 2).run(1, bound, true, null);
    assertThat(s.violations()).as(bug + " not caught in " + bound + " seeds").isNotEmpty();
    SimResult first = s.violations().get(0);
    // The same seeds without the bug are clean.
    SimOptions clean = o.toBuilder().bugs(Set.of()).build();
    SeedSweep.Summary c = new SeedSweep(clean, steps, 2).run(1, Math.max(first.seed(), 50), false, null);
    assertThat(c.violations()).as("profile of " + bug + " without the bug").isEmpty();
    // The report is replayable: the printed command's options rebuild the same run.
    assertThat(first.replayCommand()).contains("--seed " + first.seed(), "--bug " + bug.name(),
        "--nodes " + nodes, "--steps " + first.steps());
    SimResult replay = new Simulation(first.seed(), o).run(first.steps());
    assertThat(replay.violated()).isTrue();
    assertThat(replay.violation().getMessage()).isEqualTo(first.violation().getMessage());
    return first;
  }

  @Test
  void commitOldTermByCountIsCaughtAsLostCommittedEntryWithin300Seeds() {
    SimResult r = firstViolation(PlantedBug.COMMIT_OLD_TERM_BY_COUNT, 3, 4000, 300);
    assertThat(r.violation().property()).isEqualTo(Property.LEADER_COMPLETENESS);
  }

  @Test
  void voteWithoutLogCheckIsCaughtAsLeaderCompletenessWithin100Seeds() {
    SimResult r = firstViolation(PlantedBug.VOTE_WITHOUT_LOG_CHECK, 5, 3000, 100);
    assertThat(r.violation().property()).isEqualTo(Property.LEADER_COMPLETENESS);
  }

  @Test
  void forgetVoteOnRestartIsCaughtAsElectionSafetyWithin300Seeds() {
    SimResult r = firstViolation(PlantedBug.FORGET_VOTE_ON_RESTART, 3, 3000, 300);
    assertThat(r.violation().property()).isEqualTo(Property.ELECTION_SAFETY);
  }

  @Test
  void countingOwnVoteBeforeItsWriteIsCaughtAsElectionSafetyWithin100Seeds() {
    SimResult r = firstViolation(PlantedBug.COUNT_OWN_VOTE_BEFORE_WRITE, 3, 3000, 100);
    assertThat(r.violation().property()).isEqualTo(Property.ELECTION_SAFETY);
  }

  @Test
  void readWithoutQuorumIsCaughtAsStaleReadWithin100Seeds() {
    SimResult r = firstViolation(PlantedBug.READ_WITHOUT_QUORUM, 5, 3000, 100);
    assertThat(r.violation().property()).isEqualTo(Property.READ_FRESHNESS);
  }

  @Test
  void skippingTheCheckHidesTheBugFromThatProperty() {
    // Shows the detection above rests on the check: with Election Safety skipped, the seeds that
    // exposed FORGET_VOTE_ON_RESTART report no Election Safety violation.
    SimOptions o = SimOptions.profileFor(Set.of(PlantedBug.FORGET_VOTE_ON_RESTART)).toBuilder().nodes(3)
        .skippedChecks(Set.of(Property.ELECTION_SAFETY)).build();
    SeedSweep.Summary s = new SeedSweep(o, 3000, 2).run(1, 300, false, null);
    assertThat(s.violations()).noneMatch(v -> v.violation().property() == Property.ELECTION_SAFETY);
  }
}
