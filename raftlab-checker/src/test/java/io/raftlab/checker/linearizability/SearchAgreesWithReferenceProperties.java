package io.raftlab.checker.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import io.raftlab.checker.model.CasRegisterModel;
import io.raftlab.checker.model.KvModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The memoized search must give the same answers as exhaustive enumeration on small histories. */
class SearchAgreesWithReferenceProperties {
  private static final Duration BUDGET = Duration.ofSeconds(20);

  private static Arbitrary<History> histories(Arbitrary<String> keys, int maxOps) {
    Arbitrary<Operation> op = Combinators.combine(
            Arbitraries.of(OpFunction.READ, OpFunction.READ, OpFunction.WRITE, OpFunction.CAS, OpFunction.DELETE),
            keys,
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs().between(0, 20),
            Arbitraries.longs().between(0, 8),
            Arbitraries.of(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK, Outcome.INFO, Outcome.FAIL))
        .as((f, key, v, e, start, length, outcome) -> {
          Long value = v == 0 ? null : (long) v;
          Long expected = e == 0 ? null : (long) e;
          long end = outcome == Outcome.INFO ? Long.MAX_VALUE : start + length;
          return switch (f) {
            case READ -> Operation.read(0, 0, key, outcome == Outcome.OK ? value : null, start, end, outcome);
            case WRITE -> Operation.write(0, 0, key, v == 0 ? 1L : (long) v, start, end, outcome);
            case CAS -> Operation.cas(0, 0, key, expected, v == 0 ? 1L : (long) v, start, end, outcome);
            case DELETE -> Operation.delete(0, 0, key, start, end, outcome);
          };
        });
    return op.list().ofMinSize(1).ofMaxSize(maxOps).map(ops -> {
      List<Operation> numbered = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        Operation o = ops.get(i);
        numbered.add(new Operation(i, i, o.function(), o.key(), o.value(), o.expected(), o.output(),
            o.invokeNanos(), o.completeNanos(), null, o.outcome(), 0));
      }
      return History.of("property", numbered);
    });
  }

  @Provide
  Arbitrary<History> singleRegisterHistories() {
    return histories(Arbitraries.just(""), 8);
  }

  @Provide
  Arbitrary<History> multiKeyHistories() {
    return histories(Arbitraries.of("a", "b", "c"), 8);
  }

  @Property(tries = 400)
  void casRegisterVerdictMatchesExhaustiveSearch(@ForAll("singleRegisterHistories") History h) {
    CasRegisterModel model = new CasRegisterModel();
    boolean expected = BruteForceLinearizability.isLinearizable(h.operations(), model);
    CheckResult r = LinearizabilityChecker.check(h, model, BUDGET);
    assertThat(r.verdict()).as(h.operations().toString())
        .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
  }

  @Property(tries = 300)
  void perKeySplitAgreesWithWholeHistorySearch(@ForAll("multiKeyHistories") History h) {
    CheckResult split = LinearizabilityChecker.check(h, new KvModel(), BUDGET);
    CheckResult whole = LinearizabilityChecker.check(h, KvModel.wholeHistory(), BUDGET);
    boolean reference = BruteForceLinearizability.isLinearizable(h.operations(), KvModel.wholeHistory());
    assertThat(whole.perKey()).hasSize(1);
    assertThat(split.verdict()).as(h.operations().toString()).isEqualTo(whole.verdict());
    assertThat(whole.verdict()).isEqualTo(reference ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
  }

  @Property(tries = 300)
  void reportedViolationIsItselfNotLinearizable(@ForAll("multiKeyHistories") History h) {
    CheckResult r = LinearizabilityChecker.check(h, new KvModel(), BUDGET);
    if (r.verdict() != Verdict.NOT_LINEARIZABLE) {
      return;
    }
    Violation v = r.violation();
    assertThat(v.minimal()).isTrue();
    assertThat(v.operations()).allMatch(op -> op.key().equals(v.key()));
    assertThat(BruteForceLinearizability.isLinearizable(v.operations(), new CasRegisterModel())).isFalse();
    assertThat(BruteForceLinearizability.isLinearizable(v.linearizablePrefix(), new CasRegisterModel())).isTrue();
    if (v.impossibleOperation() != null) {
      assertThat(v.operations()).contains(v.impossibleOperation());
      assertThat(v.impossibleOperation().function()).isIn(OpFunction.READ, OpFunction.CAS);
    }
  }
}
