package io.raftlab.checker.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdnHistoryParserTest {
  private final EdnHistoryParser parser = new EdnHistoryParser();

  @Test
  void readsAVectorOfEventMaps() throws Exception {
    History h = parser.parse("h.edn", """
        [{:process 0, :type :invoke, :f :write, :value 3, :time 123}
         {:process 1, :type :invoke, :f :read, :value nil, :time 124}
         {:process 0, :type :ok, :f :write, :value 3, :time 130}
         {:process :nemesis, :type :info, :f :start, :value nil}
         {:process 1, :type :ok, :f :read, :value 3, :time 140}
         {:process 2, :type :invoke, :f :cas, :value [3 4], :time 150}]
        """);
    assertThat(h.operations()).hasSize(3);
    assertThat(h.get(0).value()).isEqualTo(3L);
    assertThat(h.get(0).invokeNanos()).isEqualTo(123);
    assertThat(h.get(1).output()).isEqualTo(3L);
    assertThat(h.get(2).outcome()).isEqualTo(Outcome.INFO);
    assertThat(h.get(2).expected()).isEqualTo(3L);
  }

  @Test
  void readsTopLevelMapsOnePerLineWithoutTimes() throws Exception {
    History h = parser.parse("history.edn", """
        {:type :invoke, :f :write, :value 1, :process 0, :key "x"} ; a comment
        {:type :ok, :f :write, :value 1, :process 0}
        """);
    Operation w = h.get(0);
    assertThat(w.key()).isEqualTo("x");
    assertThat(w.invokeNanos()).isEqualTo(0);
    assertThat(w.completeNanos()).isEqualTo(1);
  }

  @Test
  void syntaxErrorNamesLineAndColumn() {
    assertThatThrownBy(() -> parser.parse("h.edn", "{:process 0, :type :invoke, :f :write, :value 1}\n{:process 1 :type}\n"))
        .isInstanceOfSatisfying(HistoryParseException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(18);
        })
        .hasMessageContaining("h.edn:2:18")
        .hasMessageContaining("has no value");
  }

  @Test
  void badEventInVectorNamesItsIndex() {
    assertThatThrownBy(() -> parser.parse("h.edn", "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process \"p\"}]"))
        .isInstanceOf(HistoryParseException.class)
        .hasMessageContaining("event #1")
        .hasMessageContaining(":process must be an integer");
  }

  @Test
  void ednReaderHandlesTheSubset() throws Exception {
    EdnReader r = new EdnReader("{:a [1 -2 \"s\\\"q\"] :b (nil true false) :c #{x} #_ :gone :d 12345678901234567890}");
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) r.read();
    assertThat(m.get(new EdnReader.Keyword("a"))).isEqualTo(List.of(1L, -2L, "s\"q"));
    assertThat(m.get(new EdnReader.Keyword("b"))).isEqualTo(java.util.Arrays.asList(null, true, false));
    assertThat(m).containsKey(new EdnReader.Keyword("d"));
    assertThat(m).doesNotContainKey(new EdnReader.Keyword("gone"));
    assertThat(r.atEnd()).isTrue();
  }
}
