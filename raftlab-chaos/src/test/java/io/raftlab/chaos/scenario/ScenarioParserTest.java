package io.raftlab.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.chaos.scenario.Statement.NodeFaultKind;
import io.raftlab.chaos.scenario.Statement.Op;
import io.raftlab.chaos.scenario.Statement.ValueMatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {

  private static Scenario parse(String text) throws ScenarioParseException {
    return ScenarioParser.parse("t.scn", text);
  }

  private static Statement only(String step) throws ScenarioParseException {
    Scenario s = parse("start 5\nlet $x = n1\n" + step + "\n");
    return s.steps().get(1);
  }

  private static void assertError(String text, String expected) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(ScenarioParseException.class).hasMessage(expected);
  }

  @Test
  void headerGivesSizeParametersAndStartLine() throws Exception {
    Scenario s = parse("# story\ncluster 5 nodes\nset-param heartbeat-millis 40\nset-param unsafe true\n\nstart\nheal\n");
    assertThat(s.nodes()).isEqualTo(5);
    assertThat(s.nodeParams()).containsExactly(java.util.Map.entry("heartbeat-millis", "40"), java.util.Map.entry("unsafe", "true"));
    assertThat(s.startLine()).isEqualTo(6);
    assertThat(s.steps()).hasSize(1);
    assertThat(s.steps().get(0).line()).isEqualTo(7);
  }

  @Test
  void sizeComesFromStartThenCommandLineThenDefault() throws Exception {
    assertThat(parse("start 4\n").nodes()).isEqualTo(4);
    assertThat(ScenarioParser.parse("t.scn", "start\n", Optional.of(7)).nodes()).isEqualTo(7);
    assertThat(parse("start\n").nodes()).isEqualTo(ScenarioParser.DEFAULT_NODES);
  }

  @Test
  void nodeFaultsNameTheirNode() throws Exception {
    assertThat(only("kill n3")).isEqualTo(new Statement.NodeFault(3, "kill n3", NodeFaultKind.KILL, new NodeRef("n3")));
    assertThat(only("restart $x")).isEqualTo(new Statement.NodeFault(3, "restart $x", NodeFaultKind.RESTART, new NodeRef("$x")));
    assertThat(only("pause $leader")).isEqualTo(new Statement.NodeFault(3, "pause $leader", NodeFaultKind.PAUSE, new NodeRef("$leader")));
    assertThat(only("resume $follower")).isEqualTo(
        new Statement.NodeFault(3, "resume $follower", NodeFaultKind.RESUME, new NodeRef("$follower")));
  }

  @Test
  void networkStatements() throws Exception {
    Statement.Partition p = (Statement.Partition) only("partition {n1,n2} {n3, n4,n5}");
    assertThat(p.groups()).containsExactly(List.of(new NodeRef("n1"), new NodeRef("n2")),
        List.of(new NodeRef("n3"), new NodeRef("n4"), new NodeRef("n5")));
    assertThat(p.restGroup()).isFalse();
    Statement.Partition r = (Statement.Partition) only("partition {$leader} rest");
    assertThat(r.groups()).containsExactly(List.of(new NodeRef("$leader")));
    assertThat(r.restGroup()).isTrue();
    assertThat(only("isolate $leader")).isEqualTo(new Statement.Isolate(3, "isolate $leader", new NodeRef("$leader")));
    assertThat(only("block n1 -> n2")).isEqualTo(new Statement.Link(3, "block n1 -> n2", true, new NodeRef("n1"), new NodeRef("n2")));
    assertThat(only("unblock n1->n2")).isEqualTo(new Statement.Link(3, "unblock n1 -> n2", false, new NodeRef("n1"), new NodeRef("n2")));
    assertThat(only("heal")).isEqualTo(new Statement.Heal(3, "heal"));
  }

  @Test
  void clientOperationsWithAndWithoutVia() throws Exception {
    assertThat(only("set k v via n2")).isEqualTo(new Statement.ClientOp(3, "set k v via n2", new Op.Set("k", "v"), Optional.of(new NodeRef("n2"))));
    assertThat(only("get k")).isEqualTo(new Statement.ClientOp(3, "get k", new Op.Get("k"), Optional.empty()));
    assertThat(only("cas k old new via $leader")).isEqualTo(
        new Statement.ClientOp(3, "cas k old new via $leader", new Op.Cas("k", "old", "new"), Optional.of(new NodeRef("$leader"))));
    assertThat(((Statement.ClientOp) only("set k \"two words, {braces}\"")).op()).isEqualTo(new Op.Set("k", "two words, {braces}"));
  }

  @Test
  void leadershipAndTime() throws Exception {
    assertThat(only("campaign n5")).isEqualTo(new Statement.Campaign(3, "campaign n5", new NodeRef("n5")));
    assertThat(only("wait leader")).isEqualTo(new Statement.WaitLeader(3, "wait leader", false, Optional.empty(), false, ScenarioParser.DEFAULT_WAIT));
    assertThat(only("wait leader in {n1,n2} within 5s")).isEqualTo(new Statement.WaitLeader(3, "wait leader in {n1,n2} within 5s", false,
        Optional.of(List.of(new NodeRef("n1"), new NodeRef("n2"))), false, Duration.ofSeconds(5)));
    assertThat(((Statement.WaitLeader) only("wait leader not in {$x} within 2s")).notIn()).isTrue();
    assertThat(only("wait blocks within 30s")).isEqualTo(new Statement.WaitBlocks(3, "wait blocks within 30s", Duration.ofSeconds(30)));
    assertThat(only("expect leader changes within 3s")).isEqualTo(
        new Statement.ExpectLeaderChange(3, "expect leader changes within 3s", true, Duration.ofSeconds(3)));
    assertThat(only("expect leader stable for 2s")).isEqualTo(
        new Statement.ExpectLeaderChange(3, "expect leader stable for 2s", false, Duration.ofSeconds(2)));
    assertThat(((Statement.WaitLeader) only("wait no leader in {n1} within 2s")).none()).isTrue();
    assertThat(only("sleep 300ms")).isEqualTo(new Statement.Sleep(3, "sleep 300ms", Duration.ofMillis(300)));
    assertThat(((Statement.Sleep) only("sleep 2m")).duration()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void afterBlocksHoldStatementsOnTheirLinesAndMayBeWrittenInline() throws Exception {
    Scenario s = parse("start 3\nafter 500ms {\n  set k a\n\n  get k via n2\n}\nafter 0ms { set k b }\nheal\n");
    Statement.After a = (Statement.After) s.steps().get(0);
    assertThat(a.delay()).isEqualTo(Duration.ofMillis(500));
    assertThat(a.body()).extracting(Statement::line).containsExactly(3, 5);
    Statement.After b = (Statement.After) s.steps().get(1);
    assertThat(b.line()).isEqualTo(7);
    assertThat(b.body()).containsExactly(new Statement.ClientOp(7, "set k b", new Op.Set("k", "b"), Optional.empty()));
    assertThat(s.steps().get(2)).isEqualTo(new Statement.Heal(8, "heal"));
  }

  @Test
  void expectations() throws Exception {
    assertThat(only("expect get k == v via n2 within 3s")).isEqualTo(new Statement.ExpectGet(3, "expect get k == v via n2 within 3s",
        "k", new ValueMatch.Equals("v"), Optional.of(new NodeRef("n2")), Optional.of(Duration.ofSeconds(3))));
    assertThat(((Statement.ExpectGet) only("expect get k is absent")).match()).isEqualTo(new ValueMatch.Absent());
    assertThat(((Statement.ExpectGet) only("expect get k in {a,b,c}")).match()).isEqualTo(new ValueMatch.OneOf(List.of("a", "b", "c")));
    assertThat(only("expect fail set k v via n4")).isEqualTo(
        new Statement.ExpectFail(3, "expect fail set k v via n4", new Op.Set("k", "v"), Optional.of(new NodeRef("n4"))));
    assertThat(((Statement.ExpectFail) only("expect fail cas k a b")).op()).isEqualTo(new Op.Cas("k", "a", "b"));
    assertThat(only("expect leader in {n1,n2}")).isEqualTo(
        new Statement.ExpectLeader(3, "expect leader in {n1,n2}", List.of(new NodeRef("n1"), new NodeRef("n2")), Optional.empty()));
    assertThat(only("expect no leader in {n4,n5} for 2s")).isEqualTo(new Statement.ExpectNoLeader(3,
        "expect no leader in {n4,n5} for 2s", List.of(new NodeRef("n4"), new NodeRef("n5")), Optional.of(Duration.ofSeconds(2))));
    assertThat(((Statement.ExpectNoLeader) only("expect no leader in {n4}")).holdFor()).isEmpty();
    assertThat(only("expect one leader per term")).isEqualTo(new Statement.ExpectOneLeaderPerTerm(3, "expect one leader per term"));
  }

  @Test
  void valueMatchesSayWhatTheyAccept() {
    assertThat(new ValueMatch.Equals("v").matches(Optional.of("v"))).isTrue();
    assertThat(new ValueMatch.Equals("v").matches(Optional.empty())).isFalse();
    assertThat(new ValueMatch.Absent().matches(Optional.empty())).isTrue();
    assertThat(new ValueMatch.OneOf(List.of("a", "b")).matches(Optional.of("c"))).isFalse();
  }

  @Test
  void errorsNameLineColumnAndWhatWasExpected() {
    assertError("", "t.scn:1:1: expected 'start' (every script starts its cluster), found end of file");
    assertError("kill n1\n", "t.scn:1:1: 'kill' before 'start': expected 'cluster N nodes', 'set-param NAME VALUE' or 'start [N]'");
    assertError("bogus\n", "t.scn:1:1: expected 'cluster N nodes', 'set-param NAME VALUE' or 'start [N]', found 'bogus'");
    assertError("start 99\n", "t.scn:1:7: cluster size 99 is outside the allowed range 1..15");
    assertError("start x\n", "t.scn:1:7: expected a cluster size (1..15), found 'x'");
    assertError("cluster 3 nodes\nstart 5\n", "t.scn:2:7: start 5 contradicts 'cluster 3 nodes' on line 1");
    assertError("cluster 3\n", "t.scn:1:10: expected 'nodes', found end of line");
    assertError("start 3 now\n", "t.scn:1:9: expected end of line, found 'now'");
    assertError("start\nstart\n", "t.scn:2:1: 'start' may appear only once, before the other statements");
    assertError("start\nfly n1\n", "t.scn:2:1: expected a statement (kill, restart, pause, resume, partition, isolate, block, unblock,"
        + " heal, let, set, get, cas, campaign, wait, sleep, after, expect), found 'fly'");
  }

  @Test
  void nodeErrorsNameTheNodeAndTheAllowedNames() {
    assertError("start 3\nkill n4\n", "t.scn:2:6: no node n4 in a cluster of 3 (nodes are n1..n3)");
    assertError("start 3\nkill\n", "t.scn:2:5: expected a node (n1..n3, $leader, $follower or a variable set by 'let'), found end of line");
    assertError("start 3\nkill node1\n", "t.scn:2:6: expected a node (n1..n3, $leader, $follower or a variable set by 'let'), found 'node1'");
    assertError("start 3\nrestart $old\n",
        "t.scn:2:9: unknown variable $old (known: $follower, $leader; bind it first with 'let $old = $leader')");
    assertError("start 3\nlet $leader = n1\n", "t.scn:2:5: $leader is built in and cannot be rebound");
    assertError("start 3\nlet $x n1\n", "t.scn:2:8: expected '=', found 'n1'");
    assertError("start 3\nlet x = n1\n", "t.scn:2:5: expected a variable name like $old, found 'x'");
    assertError("start 3\nkill $Bad\n", "t.scn:2:6: expected a variable name like $old (lower-case letters, digits, _), found '$Bad'");
  }

  @Test
  void networkErrors() {
    assertError("start 3\nblock n1 n2\n", "t.scn:2:10: expected '->' between the two nodes of the link, found 'n2'");
    assertError("start 3\npartition {n1,n2}\n", "t.scn:2:18: expected another group {..} or 'rest', found end of line");
    assertError("start 3\npartition\n", "t.scn:2:10: expected a group of nodes like {n1,n2}, found end of line");
    assertError("start 3\npartition {n1 n2} {n3}\n", "t.scn:2:15: expected ',' or '}' in the set of nodes, found 'n2'");
    assertError("start 3\npartition {n1,n2} {n2,n3}\n", "t.scn:2:19: node n2 is in more than one group of the partition");
  }

  @Test
  void operationAndExpectationErrors() {
    assertError("start 3\nset k\n", "t.scn:2:6: expected a value for k, found end of line");
    assertError("start 3\nget\n", "t.scn:2:4: expected a key, found end of line");
    assertError("start 3\nset k v via\n", "t.scn:2:12: expected a node (n1..n3, $leader, $follower or a variable set by 'let'), found end of line");
    assertError("start 3\nexpect get k = v\n", "t.scn:2:14: expected '== VALUE', 'is absent' or 'in {V1,V2}', found '='");
    assertError("start 3\nexpect get k is there\n", "t.scn:2:17: expected 'absent', found 'there'");
    assertError("start 3\nexpect fail get k\n", "t.scn:2:13: expected 'set' or 'cas' (the write that must not succeed), found 'get'");
    assertError("start 3\nexpect maybe\n",
        "t.scn:2:8: expected 'get', 'fail', 'leader', 'no leader' or 'one leader per term' after 'expect', found 'maybe'");
    assertError("start 3\nexpect one leader\n", "t.scn:2:18: expected 'per', found end of line");
    assertError("start 3\nexpect no leader in {n1} for ever\n", "t.scn:2:30: expected a duration like 500ms, 2s or 1m, found 'ever'");
    assertError("start 3\nwait leader soon\n", "t.scn:2:13: expected 'in {..}', 'not in {..}', 'within D' or end of line, found 'soon'");
    assertError("start 3\nwait leader not {n1}\n", "t.scn:2:17: expected 'in' and a set of nodes, found '{'");
    assertError("start 3\nwait for it\n", "t.scn:2:6: expected 'leader', 'no leader' or 'blocks', found 'for'");
    assertError("start 3\nexpect leader stable 2s\n", "t.scn:2:22: expected 'for', found '2s'");
    assertError("start 3\nexpect leader at n1\n", "t.scn:2:15: expected 'in {..}', 'changes within D' or 'stable for D', found 'at'");
    assertError("start 3\nwait no leader\n", "t.scn:2:15: expected 'in' and a set of nodes, found end of line");
    assertError("start 3\nsleep 2h\n", "t.scn:2:7: expected a duration like 500ms, 2s or 1m, found '2h'");
    assertError("start 3\nsleep 61m\n", "t.scn:2:7: duration 61m is outside the allowed range 0ms..60m");
    assertError("start 3\nset k \"open\n", "t.scn:2:7: unterminated string: expected a closing '\"' on the same line");
  }

  @Test
  void blockErrors() {
    assertError("start 3\nafter 1s\n  heal\n", "t.scn:2:9: expected '{' to open the block, found end of line");
    assertError("start 3\nafter 1s {\n  heal\n", "t.scn:4:1: expected '}' to close the 'after' block, found end of file");
    assertError("start 3\nheal\n}\n", "t.scn:3:1: '}' without an open 'after' block");
    assertError("start 3\nafter 1s { heal } heal\n", "t.scn:2:19: expected end of line, found 'heal'");
  }

  @Test
  void parameterValuesAreCheckedBeforeAnythingStarts() {
    assertThatThrownBy(() -> parse("set-param heartbeat 5\nstart\n")).hasMessageStartingWith("t.scn:1:11: unknown node parameter 'heartbeat' (known: ")
        .hasMessageContaining("heartbeat-millis");
    assertError("set-param heartbeat-millis 0\nstart\n", "t.scn:1:28: bad value for heartbeat-millis: heartbeat-millis: 0 is out of range (allowed 1..600000)");
    assertError("set-param unsafe maybe\nstart\n", "t.scn:1:18: bad value for unsafe: unsafe: 'maybe' is not true or false");
    assertError("set-param data-dir /tmp\nstart\n", "t.scn:1:11: parameter 'data-dir' is chosen by the launcher and cannot be set by a script");
    assertError("set-param heartbeat-millis\nstart\n", "t.scn:1:27: expected a value for heartbeat-millis, found end of line");
  }

  @Test
  void commandLineSizeMustAgreeWithTheScript() {
    assertThatThrownBy(() -> ScenarioParser.parse("t.scn", "start 5\n", Optional.of(3)))
        .hasMessage("t.scn:1:7: the script fixes 5 nodes but 3 were asked for (--nodes)");
  }

  @Test
  void everyShippedScenarioParses() throws IOException {
    Path dir = ScenarioFiles.directory();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".scn")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(7);
    for (Path f : files) {
      try {
        Scenario sc = ScenarioParser.parse(f.getFileName().toString(), Files.readString(f));
        assertThat(sc.steps()).as(f.toString()).isNotEmpty();
        assertThat(sc.text()).as(f + " tells its story in comments").contains("#");
      } catch (ScenarioParseException e) {
        throw new AssertionError(e.getMessage(), e);
      }
    }
  }
}
