package io.raftlab.checker.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import org.junit.jupiter.api.Test;

class JepsenLogHistoryParserTest {
  private final JepsenLogHistoryParser parser = new JepsenLogHistoryParser();

  @Test
  void readsOperationLinesAndSkipsTheRest() throws Exception {
    History h = parser.parse("jepsen.log", """
        INFO  jepsen.core - Running test
        INFO  jepsen.util - 3	:invoke	:write	4
        INFO  jepsen.util - 1	:invoke	:read	nil
        INFO  jepsen.util - :nemesis	:info	:start	nil
        INFO  jepsen.util - 3	:ok	:write	4
        INFO  jepsen.util - 1	:ok	:read	4
        INFO  jepsen.util - 2 :invoke :cas [4 5]
        INFO  jepsen.util - 2 :fail :cas [4 5]
        INFO  jepsen.util - 0	:invoke	:write	7
        INFO  jepsen.util - 0	:info	:write	7	indeterminate: timed out
        some stack trace line
        """);
    assertThat(h.operations()).hasSize(4);
    assertThat(h.get(0).function()).isEqualTo(OpFunction.WRITE);
    assertThat(h.get(0).value()).isEqualTo(4L);
    assertThat(h.get(0).invokeNanos()).isEqualTo(2);
    assertThat(h.get(0).completeNanos()).isEqualTo(5);
    assertThat(h.get(1).output()).isEqualTo(4L);
    Operation cas = h.get(2);
    assertThat(cas.expected()).isEqualTo(4L);
    assertThat(cas.value()).isEqualTo(5L);
    assertThat(cas.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(h.get(3).outcome()).isEqualTo(Outcome.INFO);
  }

  @Test
  void unreadableValueNamesLineAndColumn() {
    assertThatThrownBy(() -> parser.parse("j.log", "x\nINFO  jepsen.util - 2 :invoke :cas [4 5\n"))
        .isInstanceOfSatisfying(HistoryParseException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isGreaterThan(30);
        })
        .hasMessageContaining("j.log:2:")
        .hasMessageContaining("cannot read the value");
  }

  @Test
  void unsupportedFunctionIsNamed() {
    assertThatThrownBy(() -> parser.parse("j.log", "INFO  jepsen.util - 2 :invoke :add 1\n"))
        .isInstanceOf(HistoryParseException.class)
        .hasMessageContaining("j.log:1:")
        .hasMessageContaining(":add is not supported");
  }
}
