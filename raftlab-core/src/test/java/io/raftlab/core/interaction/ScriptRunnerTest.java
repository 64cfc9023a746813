package io.raftlab.core.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script machinery itself: parsing, error messages, mismatch reports and rewriting. */
class ScriptRunnerTest {

  private static InteractionScript script(String... lines) {
    return InteractionScript.parse("t.txt", List.of(lines));
  }

  private static ScriptRunner.Result run(String... lines) {
    return ScriptRunner.run(script(lines));
  }

  @Test
  void unknownCommandNamesFileLineAndTheKnownCommands() {
    assertThatThrownBy(() -> run("> add-nodes 3", "nodes", "", "> elect 1"))
        .isInstanceOf(ScriptException.class)
        .hasMessageStartingWith("t.txt:4: elect: unknown command; known: add-nodes, campaign")
        .hasMessageContaining("> elect 1");
  }

  @Test
  void outputLineThatFollowsNoCommandIsRejectedWithItsLine() {
    assertThatThrownBy(() -> script("# story", "stray output"))
        .isInstanceOf(ScriptException.class)
        .hasMessageStartingWith("t.txt:2: output line 'stray output' does not follow a command");
  }

  @Test
  void emptyCommandIsRejected() {
    assertThatThrownBy(() -> script(">   "))
        .isInstanceOf(ScriptException.class)
        .hasMessage("t.txt:1: '>' is not followed by a command");
  }

  @Test
  void numberOutOfRangeNamesTheParameterAndAllowedRange() {
    assertThatThrownBy(() -> run("> add-nodes 3", "> tick 1 0"))
        .isInstanceOf(ScriptException.class)
        .hasMessageStartingWith("t.txt:2: tick: tick count 0 is out of range (allowed: 1..100000)");
    assertThatThrownBy(() -> run("> add-nodes 12"))
        .hasMessageStartingWith("t.txt:1: add-nodes: node count 12 is out of range (allowed: 1..9)");
    assertThatThrownBy(() -> run("> add-nodes x"))
        .hasMessageStartingWith("t.txt:1: add-nodes: node count 'x' is not a number (allowed: 1..9)");
  }

  @Test
  void unknownNodeListsTheNodes() {
    assertThatThrownBy(() -> run("> add-nodes 3", "> campaign 4"))
        .hasMessageStartingWith("t.txt:2: campaign: unknown node '4' (nodes: 1 2 3)");
  }

  @Test
  void unknownOptionListsTheAllowedOnes() {
    assertThatThrownBy(() -> run("> add-nodes 3 prevotes=true"))
        .hasMessageStartingWith("t.txt:1: add-nodes: unknown option 'prevotes' (allowed: batch, checkquorum, election, heartbeat,");
    assertThatThrownBy(() -> run("> add-nodes 3 prevote=yes"))
        .hasMessageStartingWith("t.txt:1: add-nodes: prevote 'yes' must be true or false");
  }

  @Test
  void configurationTheCoreRefusesIsReportedWithItsReason() {
    assertThatThrownBy(() -> run("> add-nodes 3 election=5..10 heartbeat=5"))
        .hasMessageStartingWith("t.txt:1: add-nodes: heartbeatTicks: must be below electionTicksMin (5)");
  }

  @Test
  void wrongArgumentCountShowsUsage() {
    assertThatThrownBy(() -> run("> add-nodes 3", "> transfer-leader 1"))
        .hasMessageStartingWith("t.txt:2: transfer-leader: expected 2 argument(s), got 1; usage: transfer-leader FROM TO");
  }

  @Test
  void commandsNeedNodesFirst() {
    assertThatThrownBy(() -> run("> status 1"))
        .hasMessageStartingWith("t.txt:1: status: there are no nodes yet; start the script with add-nodes");
  }

  @Test
  void downNodeCannotBeDriven() {
    assertThatThrownBy(() -> run("> add-nodes 3", "> crash 2", "> tick 2"))
        .hasMessageStartingWith("t.txt:3: tick: node 2 is down; restart it first");
  }

  @Test
  void matchingOutputPasses() {
    ScriptRunner.Result r = run("> add-nodes 1 prevote=false",
        "nodes 1: prevote=false checkquorum=true election=10..20 heartbeat=1 inflight=256 batch=1024 lease=false",
        "> log 1", "1: (empty)");
    assertThat(r.passed()).isTrue();
  }

  @Test
  void mismatchReportNamesFileLineCommandAndShowsTheDiff() {
    ScriptRunner.Result r = run("> add-nodes 3", "whatever", "", "# comment", "> status 2",
        "2: LEADER term=9 vote=none leader=none commit=0 applied=0 last=0@0 stable=0");
    assertThat(r.passed()).isFalse();
    assertThat(r.mismatches()).hasSize(2);
    assertThat(r.report())
        .contains("t.txt: 2 command(s) printed something else than expected")
        .contains("t.txt:1: > add-nodes 3\n    - whatever\n    + nodes 1 2 3:")
        .contains("t.txt:5: > status 2\n    - 2: LEADER term=9")
        .contains("    + 2: FOLLOWER term=0 vote=none leader=none commit=0 applied=0 last=0@0 stable=0")
        .contains("-Drewrite=true");
  }

  @Test
  void renderKeepsCommentsBlankLinesAndCommandsAndReplacesOutput() {
    InteractionScript s = script("# story", "> add-nodes 2", "stale", "", "> log all", "old");
    ScriptRunner.Result r = ScriptRunner.run(s);
    assertThat(s.render(r.actual())).isEqualTo("""
        # story
        > add-nodes 2
        nodes 1 2: prevote=true checkquorum=true election=10..20 heartbeat=1 inflight=256 batch=1024 lease=false

        > log all
        1: (empty)
        2: (empty)
        """);
  }

  @Test
  void rewriteWritesActualOutputSoTheNextRunPasses(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.txt");
    Files.writeString(file, "# two nodes\n> add-nodes 2 seed=3\nwrong\n\n> tick-all 30\n", StandardCharsets.UTF_8);
    InteractionTest.check(file, true);
    InteractionScript again = InteractionScript.parse("x.txt", Files.readAllLines(file, StandardCharsets.UTF_8));
    assertThat(ScriptRunner.run(again).passed()).isTrue();
    assertThat(Files.readString(file)).startsWith("# two nodes\n> add-nodes 2 seed=3\nnodes 1 2:").contains("\n\n> tick-all 30\ntick ");
  }

  @Test
  void sameScriptAndSeedGiveTheSameOutputAndAnotherSeedDiffers() {
    String[] a = {"> add-nodes 5 seed=7", "> tick-all 60", "> stabilize", "> tick-all 60", "> stabilize", "> status all"};
    String[] b = a.clone();
    b[0] = "> add-nodes 5 seed=8";
    assertThat(run(a).actual()).isEqualTo(run(a).actual());
    assertThat(run(a).actual()).isNotEqualTo(run(b).actual());
  }

  @Test
  void loadLogRefusesEntryTermsAboveThePersistedTerm() {
    assertThatThrownBy(() -> run("> add-nodes 3", "> load-log 1 term=1 2"))
        .hasMessageStartingWith("t.txt:2: load-log: term of entry 1 2 is out of range (allowed: 1..1)");
  }
}
