package io.raftlab.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path tmp;

  @Test
  void missingHistoryIsNamed() {
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .isInstanceOf(BadRunDirectoryException.class)
        .hasMessageContaining(tmp.resolve("history.jsonl").toString())
        .hasMessageContaining("is missing");
  }

  @Test
  void missingDirectoryIsNamed() {
    Path nowhere = tmp.resolve("no-such-run");
    assertThatThrownBy(() -> RunDirectory.read(nowhere))
        .isInstanceOf(BadRunDirectoryException.class).hasMessageContaining(nowhere + ": is not a directory");
  }

  @Test
  void badHistoryLineIsNamedWithItsNumber() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1, "ok")
        .rawHistoryLine("{\"process\":1,\"type\":\"done\",\"f\":\"read\",\"key\":\"k1\",\"time\":5}")
        .writeTo(tmp);
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .isInstanceOf(BadRunDirectoryException.class)
        .hasMessageStartingWith(tmp.resolve("history.jsonl") + ":3: ")
        .hasMessageContaining("\"type\"").hasMessageContaining("done")
        .satisfies(e -> assertThat(((BadRunDirectoryException) e).line()).isEqualTo(3));
  }

  @Test
  void historyLineThatIsNotJsonIsNamedWithItsNumberAndColumn() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1, "ok").rawHistoryLine("{\"process\":1,").writeTo(tmp);
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .isInstanceOf(BadRunDirectoryException.class)
        .hasMessageStartingWith(tmp.resolve("history.jsonl") + ":3: column ")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void emptyHistoryIsRejected() throws Exception {
    Files.writeString(tmp.resolve("history.jsonl"), "\n\n");
    assertThatThrownBy(() -> RunDirectory.read(tmp)).hasMessageContaining("holds no client events");
  }

  @Test
  void faultStartAndStopArePairedByFaultAndNodes() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok")
        .fault("start", "partition", List.of("n1"), 100, "first")
        .fault("start", "pause", List.of("n2"), 150, null)
        .fault("start", "partition", List.of("n3"), 200, "second")
        .fault("stop", "partition", List.of("n3"), 300, null)
        .fault("stop", "partition", List.of("n1"), 400, "healed")
        .fault("stop", "pause", List.of(), 500, null)
        .writeTo(tmp);
    List<FaultInterval> faults = RunDirectory.read(tmp).faults();
    assertThat(faults).extracting(FaultInterval::label).containsExactly("partition n1", "pause n2", "partition n3");
    assertThat(faults.get(0).startNanos()).isEqualTo(RunFixture.nanos(100));
    assertThat(faults.get(0).endNanos()).isEqualTo(RunFixture.nanos(400));
    assertThat(faults.get(0).detail()).isEqualTo("first / healed");
    assertThat(faults.get(1).endNanos()).isEqualTo(RunFixture.nanos(500));
    assertThat(faults.get(2).endNanos()).isEqualTo(RunFixture.nanos(300));
  }

  @Test
  void faultStartedAndNeverStoppedLastsToTheEndOfTheRun() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok").fault("start", "kill", List.of("n2"), 100, null).writeTo(tmp);
    RunDirectory run = RunDirectory.read(tmp);
    assertThat(run.faults()).singleElement().satisfies(f -> assertThat(f.openEnded()).isTrue());
    assertThat(run.seconds(run.faults().get(0).endNanos())).isEqualTo(1.0);
  }

  @Test
  void faultStopWithoutStartIsNamedWithItsLine() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok")
        .fault("start", "kill", List.of("n2"), 100, null)
        .fault("stop", "partition", List.of("n1"), 200, null)
        .writeTo(tmp);
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .hasMessageStartingWith(tmp.resolve("nemesis.jsonl") + ":2: ")
        .hasMessageContaining("stop of fault \"partition\"");
  }

  @Test
  void faultEventWithBadTypeIsNamedWithAllowedValues() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok")
        .rawNemesisLine("{\"time\":5,\"type\":\"begin\",\"fault\":\"kill\"}")
        .writeTo(tmp);
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .hasMessageStartingWith(tmp.resolve("nemesis.jsonl") + ":1: ")
        .hasMessageContaining("\"begin\"").hasMessageContaining("allowed: start|stop");
  }

  @Test
  void stateSamplesMergeIntoRoleSegmentsPerNode() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok")
        .state("n2", "FOLLOWER", 1, 3, 0)
        .state("n1", "LEADER", 1, 5, 0)
        .state("n1", "LEADER", 1, 9, 100)
        .state("n1", "follower", 2, 10, 200)
        .state("n1", "PRE_CANDIDATE", 2, 10, 300)
        .writeTo(tmp);
    RunDirectory run = RunDirectory.read(tmp);
    assertThat(run.roles().keySet()).containsExactly("n1", "n2");
    List<RoleSegment> n1 = run.roles().get("n1");
    assertThat(n1).extracting(RoleSegment::role)
        .containsExactly(NodeRole.LEADER, NodeRole.FOLLOWER, NodeRole.PRE_CANDIDATE);
    assertThat(n1.get(0).commit()).isEqualTo(9);
    assertThat(n1.get(0).endNanos()).isEqualTo(RunFixture.nanos(200));
    assertThat(n1.get(2).endNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void stateWithUnknownRoleIsNamedWithAllowedRoles() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok")
        .state("n1", "LEADER", 1, 5, 0)
        .rawStateLine("{\"time\":5,\"node\":\"n1\",\"role\":\"KING\"}")
        .writeTo(tmp);
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .hasMessageStartingWith(tmp.resolve("states.jsonl") + ":2: ")
        .hasMessageContaining("KING").hasMessageContaining("LEADER|FOLLOWER|CANDIDATE|PRE_CANDIDATE|DOWN");
  }

  @Test
  void resultsThatAreNotAnObjectAreRejected() throws Exception {
    new RunFixture().write(0, "k1", 1, 0, 1000, "ok").writeTo(tmp);
    Files.writeString(tmp.resolve("results.json"), "[1,2]");
    assertThatThrownBy(() -> RunDirectory.read(tmp))
        .hasMessageContaining("results.json").hasMessageContaining("one JSON object");
  }

  @Test
  void runStartsAtTheEarliestEventOfAnyFile() throws Exception {
    new RunFixture().write(0, "k1", 1, 500, 1000, "ok").fault("start", "kill", List.of("n1"), 100, null)
        .fault("stop", "kill", List.of("n1"), 1500, null).writeTo(tmp);
    RunDirectory run = RunDirectory.read(tmp);
    assertThat(run.startNanos()).isEqualTo(RunFixture.nanos(100));
    assertThat(run.seconds(run.endNanos())).isEqualTo(1.4);
  }
}
