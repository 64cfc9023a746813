package io.raftlab.checker.linearizability;

import static io.raftlab.checker.linearizability.TestHistory.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.model.CasRegisterModel;
import io.raftlab.checker.model.KvModel;
import io.raftlab.checker.model.Model;
import io.raftlab.checker.model.RegisterModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private static final Duration BUDGET = Duration.ofSeconds(10);

  private static CheckResult check(History h, Model<?> model) {
    return LinearizabilityChecker.check(h, model, BUDGET);
  }

  private static CheckResult register(TestHistory h) {
    return check(h.build(), new RegisterModel());
  }

  private static CheckResult casRegister(TestHistory h) {
    return check(h.build(), new CasRegisterModel());
  }

  @Test
  void readAfterCompletedWriteSeesItIsLinearizable() {
    assertThat(register(history().write(0, 1, 0, 10).read(1, 1L, 20, 30)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertThat(register(history()).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void readOfAbsentRegisterReturnsNull() {
    assertThat(register(history().read(0, null, 0, 1).write(1, 1, 2, 3)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(register(history().write(1, 1, 0, 1).read(0, null, 2, 3)).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void staleReadIsNotLinearizableAndIsExplained() {
    CheckResult r = register(history().write(0, 1, 0, 10).write(1, 2, 20, 30).read(2, 1L, 40, 50));
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    Violation v = r.violation();
    assertThat(v.minimal()).isTrue();
    assertThat(v.operations()).extracting(Operation::id).containsExactly(0, 1, 2);
    assertThat(v.impossibleOperation().id()).isEqualTo(2);
    assertThat(v.possibleStates()).containsExactly("2");
    assertThat(v.linearizablePrefix()).extracting(Operation::id).containsExactly(0, 1);
    assertThat(v.stateAfterPrefix()).isEqualTo("2");
    assertThat(r.highlightedOperationIds()).containsExactly(0, 1, 2);
    assertThat(r.render()).contains("NOT_LINEARIZABLE", "#2 p2 read() = 1 ok", "could only be 2");
  }

  @Test
  void readsMayLandAnywhereInsideConcurrentWrite() {
    // w2 overlaps both reads: r1 before w2 takes effect, r2 after.
    assertThat(register(history().write(0, 1, 0, 10).write(1, 2, 5, 30).read(2, 1L, 20, 25).read(3, 2L, 26, 40)).verdict())
        .isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void valueCannotRevertWhileWriteIsStillRunning() {
    // Once a read saw 1, a later read cannot see the initial absent value again.
    CheckResult r = register(history().write(0, 1, 0, 100).read(1, 1L, 10, 20).read(2, null, 30, 40));
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().operations()).hasSize(3);
  }

  @Test
  void infoWriteThatMustHaveHappenedExplainsLaterRead() {
    assertThat(register(history().writeInfo(0, 1, 0).read(1, 1L, 50, 60)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void infoWriteThatMustNotHaveHappenedIsLeftOut() {
    assertThat(register(history().write(0, 1, 0, 10).writeInfo(1, 2, 20).read(2, 1L, 30, 40)).verdict())
        .isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void infoWriteMayTakeEffectLongAfterItsInvocation() {
    assertThat(register(history().write(0, 1, 0, 10).writeInfo(1, 2, 5).read(2, 1L, 20, 30).read(3, 2L, 40, 50)).verdict())
        .isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void infoWriteCannotTakeEffectTwice() {
    // Reading 2 forces the info write before 40; then nothing can bring back 1.
    CheckResult r = register(history().write(0, 1, 0, 10).writeInfo(1, 2, 20).read(2, 2L, 30, 40).read(3, 1L, 50, 60));
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().impossibleOperation().id()).isEqualTo(3);
  }

  @Test
  void infoWriteCannotTakeEffectBeforeItsInvocation() {
    assertThat(register(history().read(0, 1L, 0, 10).writeInfo(1, 1, 20)).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void failedWriteNeverTookEffect() {
    assertThat(register(history().writeFail(0, 1, 0, 10).read(1, 1L, 20, 30)).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(register(history().writeFail(0, 1, 0, 10).read(1, null, 20, 30)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void deleteMakesTheRegisterAbsent() {
    assertThat(register(history().write(0, 1, 0, 10).delete(1, 20, 30).read(2, null, 40, 50)).verdict())
        .isEqualTo(Verdict.LINEARIZABLE);
    assertThat(register(history().write(0, 1, 0, 10).delete(1, 20, 30).read(2, 1L, 40, 50)).verdict())
        .isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void plainRegisterRejectsCasWithClearError() {
    assertThatThrownBy(() -> register(history().cas(0, null, 1, 0, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#0 p0 cas(nil->1)")
        .hasMessageContaining("cas-register");
  }

  @Test
  void concurrentCasChainIsLinearizable() {
    CheckResult r = casRegister(history().write(0, 0, 0, 1)
        .cas(3, 2L, 3, 2, 12).cas(1, 0L, 1, 3, 10).cas(2, 1L, 2, 4, 11).read(4, 3L, 20, 21));
    assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void twoCasFromTheSameValueCannotBothSucceed() {
    CheckResult r = casRegister(history().write(0, 0, 0, 1).cas(1, 0L, 1, 2, 10).cas(2, 0L, 2, 3, 11));
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().impossibleOperation().function().wireName()).isEqualTo("cas");
    assertThat(r.violation().explanation()).contains("cannot have succeeded");
  }

  @Test
  void failedCasIsDroppedAndInfoCasMayHaveHappened() {
    assertThat(casRegister(history().write(0, 0, 0, 1).casFail(1, 0L, 1, 2, 10).read(2, 0L, 20, 30)).verdict())
        .isEqualTo(Verdict.LINEARIZABLE);
    assertThat(casRegister(history().write(0, 0, 0, 1).casInfo(1, 0L, 5, 2).read(2, 5L, 10, 11)).verdict())
        .isEqualTo(Verdict.LINEARIZABLE);
    assertThat(casRegister(history().write(0, 0, 0, 1).casInfo(1, 7L, 5, 2).read(2, 5L, 10, 11)).verdict())
        .isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void operationsTouchingAtTheSameInstantCountAsConcurrent() {
    assertThat(register(history().write(0, 1, 0, 10).read(1, null, 10, 20)).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(register(history().write(0, 1, 0, 10).read(1, null, 11, 20)).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void kvModelChecksKeysIndependentlyAndNamesTheViolatingKey() {
    History h = history()
        .key("a").write(0, 1, 0, 10).read(1, 1L, 20, 30)
        .key("b").write(2, 5, 0, 10).write(3, 6, 20, 30).read(4, 5L, 40, 50)
        .build();
    CheckResult r = check(h, new KvModel());
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.perKey()).containsOnlyKeys("a", "b");
    assertThat(r.perKey().get("a").verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(r.perKey().get("b").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().key()).isEqualTo("b");
    assertThat(r.violation().operations()).extracting(Operation::id).containsExactly(2, 3, 4);
  }

  @Test
  void shrinkKeepsOnlyTheOperationsThatCannotBeOrdered() {
    TestHistory h = history();
    long t = 0;
    for (int i = 1; i <= 30; i++) {
      h.write(0, i, t, t + 5).read(1, (long) i, t + 6, t + 9);
      t += 10;
    }
    h.read(2, 7L, t, t + 5); // stale: 7 was overwritten long ago
    for (int i = 31; i <= 40; i++) {
      h.write(0, i, t + 10, t + 15);
      t += 10;
    }
    CheckResult r = register(h);
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    Violation v = r.violation();
    assertThat(v.minimal()).isTrue();
    assertThat(v.operations()).hasSize(3);
    // the write of 7, any later write that overwrote it, and the stale read
    assertThat(v.operations().get(0).describe()).isEqualTo("#12 p0 write(7) ok");
    assertThat(v.operations().get(1).describe()).matches("#\\d+ p0 write\\((\\d+)\\) ok");
    assertThat((Long) v.operations().get(1).value()).isBetween(8L, 30L);
    assertThat(v.operations().get(2).describe()).isEqualTo("#60 p2 read() = 7 ok");
    assertThat(v.linearizablePrefix()).hasSize(60);
    // The set really is a violation; dropping the overwrite or the read fixes it (dropping the
    // write of 7 is not allowed: the read would then observe a value nobody wrote).
    RegisterModel model = new RegisterModel();
    assertThat(BruteForceLinearizability.isLinearizable(v.operations(), model)).isFalse();
    assertThat(BruteForceLinearizability.isLinearizable(java.util.List.of(v.operations().get(0), v.operations().get(2)), model))
        .isTrue();
    assertThat(BruteForceLinearizability.isLinearizable(v.operations().subList(0, 2), model)).isTrue();
  }

  /** 40 concurrent writes and a read of a value nobody wrote: every subset and order is explored. */
  private static History pathological() {
    TestHistory h = history();
    for (int i = 0; i < 40; i++) {
      h.write(i, i, 0, 1_000);
    }
    h.read(99, 1_000L, 0, 1_000);
    return h.build();
  }

  @Test
  void exhaustedTimeBudgetAnswersUnknownPromptly() {
    long start = System.nanoTime();
    CheckResult r = LinearizabilityChecker.check(pathological(), new RegisterModel(), Duration.ofMillis(200));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.reason()).contains("time budget");
    assertThat(r.violation()).isNull();
    assertThat(millis).isLessThan(2_000);
  }

  @Test
  void cappedCacheAnswersUnknownInsteadOfExhaustingMemory() {
    LinearizabilityChecker.Options tiny = LinearizabilityChecker.Options.defaults().withMaxCacheBytes(256 * 1024);
    CheckResult r = LinearizabilityChecker.check(pathological(), new RegisterModel(), Duration.ofSeconds(30), tiny);
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.reason()).contains("cap");
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void violationOnOneKeyWinsOverUnknownOnAnother() {
    TestHistory h = history().key("slow");
    for (int i = 0; i < 40; i++) {
      h.write(i, i, 0, 1_000);
    }
    h.read(99, 1_000L, 0, 1_000);
    h.key("bad").write(100, 1, 0, 10).write(101, 2, 20, 30).read(102, 1L, 40, 50);
    CheckResult r = LinearizabilityChecker.check(h.build(), new KvModel(), Duration.ofMillis(300));
    assertThat(r.perKey().get("slow").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().key()).isEqualTo("bad");
  }
}
