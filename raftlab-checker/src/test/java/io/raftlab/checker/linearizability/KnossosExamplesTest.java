package io.raftlab.checker.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.checker.history.History;
import io.raftlab.checker.model.CasRegisterModel;
import io.raftlab.checker.parse.EdnHistoryParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Classic Knossos-style cas-register histories, written in EDN and checked end to end. */
class KnossosExamplesTest {
  private static CheckResult check(String edn) throws Exception {
    History h = new EdnHistoryParser().parse("knossos.edn", edn);
    return LinearizabilityChecker.check(h, new CasRegisterModel(), Duration.ofSeconds(10));
  }

  @Test
  void readOverlappingTwoWritesMaySeeEither() throws Exception {
    assertThat(check("""
        [{:process 0 :type :invoke :f :write :value 1}
         {:process 0 :type :ok     :f :write :value 1}
         {:process 1 :type :invoke :f :write :value 2}
         {:process 2 :type :invoke :f :read  :value nil}
         {:process 2 :type :ok     :f :read  :value 1}
         {:process 1 :type :ok     :f :write :value 2}
         {:process 2 :type :invoke :f :read  :value nil}
         {:process 2 :type :ok     :f :read  :value 2}]
        """).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void casSucceedingOnAValueThatWasNeverThereIsCaught() throws Exception {
    CheckResult r = check("""
        [{:process 0 :type :invoke :f :write :value 0}
         {:process 0 :type :ok     :f :write :value 0}
         {:process 1 :type :invoke :f :cas   :value [1 2]}
         {:process 2 :type :invoke :f :write :value 3}
         {:process 2 :type :ok     :f :write :value 3}
         {:process 1 :type :ok     :f :cas   :value [1 2]}]
        """);
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().impossibleOperation().describe()).isEqualTo("#1 p1 cas(1->2) ok");
    // Nobody wrote 1, so the cas alone is the minimal set; the register held 0 or 3 meanwhile.
    assertThat(r.violation().operations()).hasSize(1);
    assertThat(r.violation().possibleStates()).containsExactlyInAnyOrder("0", "3");
  }

  @Test
  void crashedWriterMayHaveWrittenButOnlyOnce() throws Exception {
    // p1's write of 2 crashed (:info); reads see 2 then 1 then 2 again: 2 cannot be written twice.
    CheckResult r = check("""
        [{:process 0 :type :invoke :f :write :value 1}
         {:process 0 :type :ok     :f :write :value 1}
         {:process 1 :type :invoke :f :write :value 2}
         {:process 1 :type :info   :f :write :value 2}
         {:process 2 :type :invoke :f :read  :value nil}
         {:process 2 :type :ok     :f :read  :value 2}
         {:process 3 :type :invoke :f :write :value 1}
         {:process 3 :type :ok     :f :write :value 1}
         {:process 2 :type :invoke :f :read  :value nil}
         {:process 2 :type :ok     :f :read  :value 2}]
        """);
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.violation().impossibleOperation().id()).isEqualTo(4);
  }
}
