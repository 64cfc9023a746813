package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.chaos.monkey.MonkeyOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option checking of {@code raftlab monkey} (the runs themselves are tested in raftlab-chaos). */
class MonkeyCommandTest {

  private static synchronized String[] run(String... args) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new MonkeyCommand()).execute(args);
      return new String[] {String.valueOf(exit), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(oldErr);
    }
  }

  @Test
  void anUnknownImplementationIsNamedWithTheKnownOnes() {
    String[] r = run("--impl", "zookeeper", "--plans", "1");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--impl: unknown implementation 'zookeeper'").contains("known: raftlab");
  }

  @Test
  void badValuesNameTheirOption() {
    assertThat(run("--mode", "evil")[1]).contains("--mode: 'evil'").contains("standard, diabolical");
    assertThat(run("--weight", "NUKE=3")[1]).contains("unknown event 'NUKE'");
    assertThat(run("--nodes", "1")[1]).contains("--nodes: 1 is outside the allowed range 2..15");
    assertThat(run("--repeat", "0")[1]).contains("--repeat: 0");
    assertThat(run("--gap", "soon")[1]).contains("--gap: 'soon' is not a duration");
  }

  @Test
  void theReplayCommandCarriesEveryPlanChoice() {
    MonkeyCommand c = new MonkeyCommand();
    new CommandLine(c).parseArgs("--nodes", "5", "--events", "40", "--seed", "7", "--mode", "diabolical", "--weight", "KILL=0",
        "--allow-majority-down");
    MonkeyOptions o = c.options();
    assertThat(o.replay(3)).startsWith("raftlab monkey --impl raftlab --nodes 5 --events 40 --seed 7 --mode diabolical")
        .contains("--allow-majority-down").contains("--weight KILL=0").endsWith("--plan-index 3");
    assertThat(o.generator().weight(io.raftlab.chaos.plan.PlanGenerator.Kind.KILL)).isZero();
    assertThat(o.generator().maxDown()).isEqualTo(5);
  }
}
