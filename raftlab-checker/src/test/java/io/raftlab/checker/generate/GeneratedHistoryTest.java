package io.raftlab.checker.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.linearizability.CheckResult;
import io.raftlab.checker.linearizability.LinearizabilityChecker;
import io.raftlab.checker.linearizability.Verdict;
import io.raftlab.checker.model.CasRegisterModel;
import io.raftlab.checker.model.KvModel;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GeneratedHistoryTest {
  private static final Duration BUDGET = Duration.ofSeconds(30);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void historyFromSequentialModelIsLinearizable(long seed) {
    History h = HistoryGenerator.generate(HistoryGenerator.Settings.register(2_000, seed));
    assertThat(h.operations()).anyMatch(op -> op.outcome() == Outcome.INFO);
    assertThat(h.operations()).anyMatch(op -> op.outcome() == Outcome.FAIL);
    assertThat(LinearizabilityChecker.check(h, new CasRegisterModel(), BUDGET).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void staleReadInjectedIntoGeneratedHistoryIsCaught(long seed) {
    History h = HistoryGenerator.generate(HistoryGenerator.Settings.register(2_000, seed));
    HistoryGenerator.Mutation m = HistoryGenerator.staleRead(h, seed);
    CheckResult r = LinearizabilityChecker.check(m.history(), new CasRegisterModel(), BUDGET);
    assertThat(r.verdict()).as(m.description()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().operations()).extracting(Operation::id).contains(m.mutated());
    assertThat(r.violation().minimal()).isTrue();
  }

  @Test
  void manyClientsHeavyUnknownOutcomesStayLinearizable() {
    History h = HistoryGenerator.generate(HistoryGenerator.Settings.register(3_000, 9).withClients(20).withInfoFraction(0.2));
    assertThat(LinearizabilityChecker.check(h, new CasRegisterModel(), BUDGET).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void multiKeyHistoryIsLinearizableAndItsMutationIsCaughtOnTheRightKey() {
    History h = HistoryGenerator.generate(HistoryGenerator.Settings.register(20_000, 7).withKeys(50));
    assertThat(h.keys()).hasSize(50);
    assertThat(LinearizabilityChecker.check(h, new KvModel(), BUDGET).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    HistoryGenerator.Mutation m = HistoryGenerator.staleRead(h, 7);
    CheckResult r = LinearizabilityChecker.check(m.history(), new KvModel(), BUDGET);
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().key()).isEqualTo(m.history().get(m.mutated()).key());
  }

  @Test
  void sameSettingsGiveTheSameHistory() {
    HistoryGenerator.Settings s = HistoryGenerator.Settings.register(500, 11);
    assertThat(HistoryGenerator.generate(s).operations()).isEqualTo(HistoryGenerator.generate(s).operations());
  }
}
