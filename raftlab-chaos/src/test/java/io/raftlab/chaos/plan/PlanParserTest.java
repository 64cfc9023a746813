package io.raftlab.chaos.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlanParserTest {

  @Test
  void parsingTheRenderedTextGivesTheSamePlan() throws Exception {
    for (long seed = 0; seed < 100; seed++) {
      Plan p = new PlanGenerator(PlanGenerator.Options.defaults(5, 150)).generate(seed);
      Plan back = PlanParser.parse("plan.txt", p.render());
      assertThat(back).isEqualTo(p);
      assertThat(back.render()).isEqualTo(p.render());
    }
  }

  @Test
  void readsTheDocumentedForms() throws Exception {
    Plan p = PlanParser.parse("p", """
        # a comment
        NODES 5

        +120ms SET k3 v17 via c2
        +300ms KILL n2
        +800ms REV n2
        +900ms PART n1 n3
        +900ms PART1 n1 -> n3
        +950ms BRIDGE n3
        +1000ms HEAL n1 n3
        +1000ms HEALALL
        +1100ms PAUSE n4
        +1200ms RESUME n4
        +1300ms GET k1 via c0
        """);
    assertThat(p.nodes()).isEqualTo(5);
    assertThat(p.events()).hasSize(11);
    assertThat(p.events().get(0)).isEqualTo(new Plan.Timed(120, new PlanEvent.Set("k3", "v17", "c2")));
    assertThat(p.events().get(4).event()).isEqualTo(new PlanEvent.PartitionOneWay("n1", "n3"));
    assertThat(p.events().get(10).event()).isEqualTo(new PlanEvent.Get("k1", "c0"));
  }

  @Test
  void errorsNameLineAndColumn() {
    expect("NODES 3\n+10ms KIL n1\n", 2, 7, "unknown event 'KIL'");
    expect("NODES 3\n+10ms KILL n4\n", 2, 12, "'n4' is not a node; the nodes are n1..n3");
    expect("NODES 3\n\n+10ms PART1 n1 n2\n", 3, 16, "expected '->'");
    expect("NODES 3\n10ms GET k1 via c0\n", 2, 1, "expected an offset like +120ms");
    expect("NODES 3\n+10ms GET k1 by c0\n", 2, 14, "expected 'via CLIENT'");
    expect("NODES 3\n+10ms SET k1\n", 2, 13, "expected a value after 'k1'");
    expect("NODES 3\n+50ms HEALALL\n+10ms HEALALL\n", 3, 1, "offsets must not decrease");
    expect("NODES 3\n+10ms PART n1 n1\n", 2, 15, "the two nodes must differ");
    expect("NODES 3\n+10ms KILL n1 now\n", 2, 15, "unexpected 'now'");
    expect("+10ms KILL n1\n", 1, 1, "expected 'NODES N'");
    expect("# nothing\n", 1, 1, "the plan is empty");
  }

  private static void expect(String text, int line, int column, String message) {
    assertThatThrownBy(() -> PlanParser.parse("plan.txt", text))
        .isInstanceOfSatisfying(PlanParseException.class, e -> {
          assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
          assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
        })
        .hasMessageStartingWith("plan.txt:" + line + ":" + column + ": ")
        .hasMessageContaining(message);
  }
}
