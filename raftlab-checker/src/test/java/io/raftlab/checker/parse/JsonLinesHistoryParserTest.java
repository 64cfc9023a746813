package io.raftlab.checker.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesHistoryParserTest {
  private final JsonLinesHistoryParser parser = new JsonLinesHistoryParser();

  @Test
  void pairsInvokeAndCompletionIntoOperations() throws Exception {
    History h = parser.parse("h.jsonl", """
        {"process":3,"type":"invoke","f":"write","key":"k1","value":4,"time":10,"node":"n2","index":0}
        {"process":4,"type":"invoke","f":"read","key":"k1","value":null,"time":11}

        {"process":3,"type":"ok","f":"write","key":"k1","value":4,"time":20}
        {"process":4,"type":"ok","f":"read","key":"k1","value":4,"time":21,"extra":"ignored"}
        {"process":3,"type":"invoke","f":"cas","key":"k2","value":[4,5],"time":30}
        {"process":3,"type":"fail","f":"cas","key":"k2","value":[4,5],"time":31}
        """);
    assertThat(h.operations()).hasSize(3);
    Operation w = h.get(0);
    assertThat(w.process()).isEqualTo(3);
    assertThat(w.function()).isEqualTo(OpFunction.WRITE);
    assertThat(w.key()).isEqualTo("k1");
    assertThat(w.value()).isEqualTo(4L);
    assertThat(w.invokeNanos()).isEqualTo(10);
    assertThat(w.completeNanos()).isEqualTo(20);
    assertThat(w.node()).isEqualTo("n2");
    assertThat(w.outcome()).isEqualTo(Outcome.OK);
    assertThat(w.line()).isEqualTo(1);
    assertThat(h.get(1).output()).isEqualTo(4L);
    Operation cas = h.get(2);
    assertThat(cas.expected()).isEqualTo(4L);
    assertThat(cas.value()).isEqualTo(5L);
    assertThat(cas.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(h.keys()).containsExactly("k1", "k2");
    assertThat(h.hasKeys()).isTrue();
  }

  @Test
  void missingKeyMeansSingleRegisterAndNullReadMeansAbsent() throws Exception {
    History h = parser.parse("h.jsonl", """
        {"process":0,"type":"invoke","f":"read","time":1}
        {"process":0,"type":"ok","f":"read","value":null,"time":2}
        """);
    assertThat(h.get(0).key()).isEmpty();
    assertThat(h.get(0).output()).isNull();
    assertThat(h.hasKeys()).isFalse();
  }

  @Test
  void invokeWithoutCompletionIsInfo() throws Exception {
    History h = parser.parse("h.jsonl", """
        {"process":0,"type":"invoke","f":"write","value":1,"time":1}
        {"process":1,"type":"invoke","f":"write","value":2,"time":2}
        {"process":1,"type":"info","f":"write","value":2,"time":3}
        """);
    assertThat(h.operations()).extracting(Operation::outcome).containsExactly(Outcome.INFO, Outcome.INFO);
    assertThat(h.get(0).completeNanos()).isEqualTo(Long.MAX_VALUE);
  }

  private void assertRejected(String text, int line, String... fragments) {
    assertThatThrownBy(() -> parser.parse("bad.jsonl", text))
        .isInstanceOfSatisfying(HistoryParseException.class, e -> assertThat(e.line()).isEqualTo(line))
        .hasMessageStartingWith("bad.jsonl:" + line)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void badLinesAreNamedWithTheirNumber() {
    String good = "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1,\"time\":1}\n";
    assertRejected(good + "{\"process\":0,\"type\":\"ok\",\"f\":\"write\"\n", 2, "not valid JSON");
    assertRejected(good + "{\"process\":\"x\",\"type\":\"ok\",\"f\":\"write\",\"time\":2}\n", 2, "\"process\" must be an integer");
    assertRejected("{\"process\":0,\"type\":\"invoke\",\"f\":\"add\",\"time\":1}\n", 1, "\"f\" is \"add\"", "read, write, cas, delete");
    assertRejected("{\"process\":0,\"type\":\"begin\",\"f\":\"read\",\"time\":1}\n", 1, "\"type\" is \"begin\"");
    assertRejected("{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"value\":3,\"time\":1}\n", 1, "[expected, new]");
    assertRejected("{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n", 1, "\"time\" must be an integer");
    assertRejected("{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"time\":1}\n", 1, "never invoked");
    assertRejected(good + good, 2, "has not completed", "line 1");
    assertRejected(good + "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"time\":2}\n", 2, "invoked a write at line 1");
    assertRejected(good + "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"time\":0}\n", 2, "before its invocation");
    assertRejected("[1,2]\n", 1, "expected a JSON object");
  }

  @Test
  void jsonSyntaxErrorNamesTheColumn() {
    assertThatThrownBy(() -> parser.parse("bad.jsonl", "{\"process\":0,,}\n"))
        .isInstanceOfSatisfying(HistoryParseException.class, e -> assertThat(e.column()).isEqualTo(14));
  }

  @Test
  void valuesOfAnyJsonTypeAreKept() throws Exception {
    History h = parser.parse("h.jsonl", """
        {"process":0,"type":"invoke","f":"write","value":"s","time":1}
        {"process":0,"type":"ok","f":"write","time":2}
        {"process":0,"type":"invoke","f":"write","value":[1,"a"],"time":3}
        {"process":0,"type":"ok","f":"write","time":4}
        """);
    assertThat(h.get(0).value()).isEqualTo("s");
    assertThat(h.get(1).value()).isEqualTo(List.of(1L, "a"));
  }
}
