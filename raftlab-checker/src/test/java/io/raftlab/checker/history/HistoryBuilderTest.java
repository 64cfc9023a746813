package io.raftlab.checker.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryBuilderTest {
  @Test
  void operationsAreNumberedByInvocationOrderAndIdEqualsIndex() {
    HistoryBuilder b = new HistoryBuilder("t");
    b.invoke(1, OpFunction.WRITE, "", 1L, null, 5, null, 1);
    b.invoke(2, OpFunction.READ, "", null, null, 6, null, 2);
    b.complete(2, OpFunction.READ, Outcome.OK, 1L, 7);
    b.complete(1, OpFunction.WRITE, Outcome.OK, null, 8);
    History h = b.build();
    assertThat(h.operations()).extracting(Operation::id).containsExactly(0, 1);
    assertThat(h.get(0).process()).isEqualTo(1);
    assertThat(h.get(1).output()).isEqualTo(1L);
  }

  @Test
  void historyRejectsIdsThatAreNotIndexes() {
    assertThatThrownBy(() -> History.of("t", List.of(Operation.write(3, 0, "", 1L, 0, 1, Outcome.OK))))
        .hasMessageContaining("has id 3");
    assertThat(History.reindexed("t", List.of(Operation.write(3, 0, "", 1L, 0, 1, Outcome.OK))).get(0).id()).isZero();
  }

  @Test
  void operationCannotCompleteBeforeItIsInvoked() {
    assertThatThrownBy(() -> Operation.write(0, 0, "", 1L, 5, 4, Outcome.OK)).hasMessageContaining("before it is invoked");
  }
}
