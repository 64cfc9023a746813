package io.raftlab.checker.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifferentialAnalysisTest {
  private static History trial(String name, Outcome writeOutcome, Outcome readOutcome, Long readValue) {
    return History.of(name, List.of(
        Operation.write(0, 0, "k", 1L, 0, 10, Outcome.OK),
        Operation.write(1, 1, "k", 2L, 5, 15, writeOutcome),
        Operation.read(2, 0, "k", readValue, 20, 30, readOutcome)));
  }

  @Test
  void identicalTrialsHaveNoDifference() {
    var r = DifferentialAnalysis.compare(List.of(trial("a", Outcome.OK, Outcome.OK, 2L), trial("b", Outcome.OK, Outcome.OK, 2L)));
    assertThat(r.hasDifferences()).isFalse();
    assertThat(r.positionsCompared()).isEqualTo(3);
    assertThat(r.renderTable()).startsWith("0 of 3 planned operations differ");
  }

  @Test
  void unknownOutcomeIsNotADifference() {
    var r = DifferentialAnalysis.compare(List.of(trial("a", Outcome.OK, Outcome.OK, 2L), trial("b", Outcome.INFO, Outcome.INFO, null)));
    assertThat(r.hasDifferences()).isFalse();
  }

  @Test
  void writeOkVersusFailIsADifference() {
    var r = DifferentialAnalysis.compare(List.of(trial("a", Outcome.OK, Outcome.OK, 2L), trial("b", Outcome.FAIL, Outcome.OK, 2L)));
    assertThat(r.differences()).hasSize(1);
    var d = r.differences().get(0);
    assertThat(d.position()).isEqualTo(new DifferentialAnalysis.Position(1, 0));
    assertThat(d.results()).containsExactly("ok", "fail");
    assertThat(d.reason()).contains("write ok in one, failed in the other");
  }

  @Test
  void okReadsOfDifferentValuesDiffer() {
    var r = DifferentialAnalysis.compare(List.of(
        trial("a", Outcome.OK, Outcome.OK, 2L), trial("b", Outcome.OK, Outcome.OK, 1L), trial("c", Outcome.OK, Outcome.INFO, null)));
    assertThat(r.differences()).hasSize(1);
    var d = r.differences().get(0);
    assertThat(d.position()).isEqualTo(new DifferentialAnalysis.Position(0, 1));
    assertThat(d.results()).containsExactly("ok = 2", "ok = 1", "info");
    assertThat(d.operations()).extracting(Operation::id).containsExactly(2, 2, 2);
    assertThat(r.renderTable()).contains("p0#1", "read(k)", "ok = 2", "ok = 1", "read different values");
  }

  @Test
  void missingOperationIsNoEvidenceButDifferentPlannedOperationIs() {
    History shorter = History.of("short", List.of(Operation.write(0, 0, "k", 1L, 0, 10, Outcome.OK)));
    assertThat(DifferentialAnalysis.compare(List.of(trial("a", Outcome.OK, Outcome.OK, 2L), shorter)).hasDifferences()).isFalse();
    History other = History.of("other", List.of(Operation.write(0, 0, "k", 9L, 0, 10, Outcome.OK)));
    var r = DifferentialAnalysis.compare(List.of(trial("a", Outcome.OK, Outcome.OK, 2L), other));
    assertThat(r.differences()).singleElement().satisfies(d -> assertThat(d.reason()).contains("different operations"));
  }
}
