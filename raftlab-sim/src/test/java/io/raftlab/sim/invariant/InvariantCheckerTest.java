package io.raftlab.sim.invariant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.core.Entry;
import io.raftlab.core.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Feeds the checker hand-made facts, so each property is shown to fire on exactly its evidence. */
class InvariantCheckerTest {

  /** A node's in-memory log for the checker to query. */
  static final class ListLog implements LogView {
    final List<Entry> entries = new ArrayList<>();

    @Override
    public long termAt(long index) {
      return index >= 1 && index <= entries.size() ? entries.get((int) index - 1).term() : index == 0 ? 0 : -1;
    }

    @Override
    public long lastIndex() {
      return entries.size();
    }

    ListLog add(long term, String data) {
      entries.add(Entry.normal(term, entries.size() + 1, data.getBytes()));
      return this;
    }
  }

  private final ListLog[] logs = {new ListLog(), new ListLog(), new ListLog()};
  private final InvariantChecker checker = new InvariantChecker(new String[] {"n1", "n2", "n3"}, Set.of());

  InvariantCheckerTest() {
    for (int i = 0; i < 3; i++) {
      checker.attach(i, logs[i]);
    }
  }

  private static Property violated(Runnable r) {
    try {
      r.run();
    } catch (InvariantViolation v) {
      return v.property();
    }
    return null;
  }

  @Test
  void electionSafetyFiresOnTwoLeadersInOneTerm() {
    checker.observe(0, Role.LEADER, 3);
    checker.observe(1, Role.LEADER, 4);
    assertThatThrownBy(() -> checker.observe(2, Role.LEADER, 3))
        .isInstanceOf(InvariantViolation.class).hasMessageContaining("term 3 has two leaders: n1 and n3");
    assertThat(checker.elections()).isEqualTo(2);
  }

  @Test
  void leaderAppendOnlyFiresWhenALeaderLosesAnEntry() {
    logs[0].add(1, "a").add(1, "b");
    checker.observe(0, Role.LEADER, 1);
    logs[0].entries.remove(1);
    assertThat(violated(() -> checker.observe(0, Role.LEADER, 1))).isEqualTo(Property.LEADER_APPEND_ONLY);
  }

  @Test
  void leaderAppendOnlyFiresWhenALeaderEmitsARewrite() {
    checker.observe(0, Role.LEADER, 2);
    checker.entriesEmitted(0, List.of(Entry.normal(2, 1, new byte[] {1}), Entry.normal(2, 2, new byte[] {2})), true, 2);
    assertThat(violated(() -> checker.entriesEmitted(0, List.of(Entry.normal(2, 2, new byte[] {3})), true, 2)))
        .isEqualTo(Property.LEADER_APPEND_ONLY);
  }

  @Test
  void followerMayRewriteUncommittedEntries() {
    checker.entriesEmitted(1, List.of(Entry.normal(1, 1, new byte[] {1}), Entry.normal(1, 2, new byte[] {2})), false, 1);
    assertThatCode(() -> checker.entriesEmitted(1, List.of(Entry.normal(2, 2, new byte[] {3})), false, 2))
        .doesNotThrowAnyException();
  }

  @Test
  void logMatchingFiresWhenSameIndexAndTermHaveDifferentPrefixes() {
    checker.entriesEmitted(0, List.of(Entry.normal(1, 1, new byte[] {1}), Entry.normal(2, 2, new byte[] {2})), false, 2);
    assertThat(violated(() -> checker.entriesEmitted(1,
        List.of(Entry.normal(1, 1, new byte[] {9}), Entry.normal(2, 2, new byte[] {2})), false, 2)))
        .isEqualTo(Property.LOG_MATCHING);
  }

  @Test
  void logMatchingAcceptsIdenticalLogs() {
    List<Entry> log = List.of(Entry.normal(1, 1, new byte[] {1}), Entry.normal(2, 2, new byte[] {2}));
    checker.entriesEmitted(0, log, false, 2);
    assertThatCode(() -> checker.entriesEmitted(1, log, false, 2)).doesNotThrowAnyException();
  }

  @Test
  void stateMachineSafetyFiresWhenTwoNodesCommitDifferentEntries() {
    checker.entriesEmitted(0, List.of(Entry.normal(1, 1, new byte[] {1})), false, 1);
    checker.commitSeen(0, 1, 1);
    checker.entriesEmitted(1, List.of(Entry.normal(2, 1, new byte[] {2})), false, 2);
    assertThat(violated(() -> checker.commitSeen(1, 1, 2))).isEqualTo(Property.STATE_MACHINE_SAFETY);
  }

  @Test
  void stateMachineSafetyFiresWhenTwoNodesApplyDifferentEntries() {
    Entry a = Entry.normal(1, 1, new byte[] {1});
    Entry b = Entry.normal(1, 1, new byte[] {2});
    // Skip the commit-time check to reach the apply-time one.
    InvariantChecker lenient = new InvariantChecker(new String[] {"n1", "n2"}, Set.of(Property.LOG_MATCHING));
    lenient.attach(0, logs[0]);
    lenient.attach(1, logs[1]);
    lenient.entriesEmitted(0, List.of(a), false, 1);
    lenient.applied(0, a, 11, 1);
    lenient.entriesEmitted(1, List.of(b), false, 1);
    assertThat(violated(() -> lenient.applied(1, b, 12, 1))).isEqualTo(Property.STATE_MACHINE_SAFETY);
  }

  @Test
  void leaderCompletenessFiresWhenANewLeaderLacksACommittedEntry() {
    checker.entriesEmitted(0, List.of(Entry.normal(1, 1, new byte[] {1})), false, 1);
    checker.commitSeen(0, 1, 1);
    logs[2].add(2, "other");
    assertThat(violated(() -> checker.observe(2, Role.LEADER, 3))).isEqualTo(Property.LEADER_COMPLETENESS);
  }

  @Test
  void leaderOfAnOlderTermElectedLateIsNotHeldToLaterCommits() {
    checker.entriesEmitted(0, List.of(Entry.normal(4, 1, new byte[] {1})), false, 4);
    checker.commitSeen(0, 1, 4);
    logs[2].add(2, "other");
    assertThatCode(() -> checker.observe(2, Role.LEADER, 3)).doesNotThrowAnyException();
  }

  @Test
  void ackedWriteMustBeInEveryLaterLeader() {
    Entry e = Entry.normal(1, 1, new byte[] {1});
    InvariantChecker acksOnly = new InvariantChecker(new String[] {"n1", "n2", "n3"},
        Set.of(Property.LEADER_COMPLETENESS));
    for (int i = 0; i < 3; i++) {
      acksOnly.attach(i, logs[i]);
    }
    acksOnly.entriesEmitted(0, List.of(e), false, 1);
    acksOnly.applied(0, e, 5, 1);
    acksOnly.writeAcked(0, 1, 1, 1);
    logs[1].add(2, "x");
    assertThat(violated(() -> acksOnly.observe(1, Role.LEADER, 2))).isEqualTo(Property.ACKED_WRITE_DURABILITY);
  }

  @Test
  void readBelowAnAcknowledgedIndexIsStale() {
    Entry e = Entry.normal(1, 1, new byte[] {1});
    Entry f = Entry.normal(1, 2, new byte[] {2});
    checker.entriesEmitted(0, List.of(e, f), false, 1);
    checker.applied(0, e, 5, 1);
    checker.applied(0, f, 6, 1);
    checker.writeAcked(0, 2, 1, 1);
    long watermark = checker.readWatermark();
    assertThat(watermark).isEqualTo(2);
    assertThatCode(() -> checker.readIndexed(0, 1, 2, watermark, "p0")).doesNotThrowAnyException();
    assertThat(violated(() -> checker.readIndexed(1, 2, 1, watermark, "p1"))).isEqualTo(Property.READ_FRESHNESS);
  }

  @Test
  void skippedCheckDoesNotFire() {
    InvariantChecker noElection = new InvariantChecker(new String[] {"n1", "n2"}, Set.of(Property.ELECTION_SAFETY));
    noElection.attach(0, logs[0]);
    noElection.attach(1, logs[1]);
    noElection.observe(0, Role.LEADER, 1);
    assertThatCode(() -> noElection.observe(1, Role.LEADER, 1)).doesNotThrowAnyException();
  }

  @Test
  void gapsInEmittedEntriesBreakTheCoreContract() {
    assertThat(violated(() -> checker.entriesEmitted(0, List.of(Entry.normal(1, 2, new byte[] {1})), false, 1)))
        .isEqualTo(Property.CORE_CONTRACT);
  }
}
