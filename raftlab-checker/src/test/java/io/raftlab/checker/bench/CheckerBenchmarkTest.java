package io.raftlab.checker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.checker.linearizability.Verdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The benchmark of docs/PERFORMANCE.md ("## Checker"); slow, so only with -Pslow. */
@Tag("bench")
class CheckerBenchmarkTest {
  @Test
  void generatedBenchmarkHistoriesAreLinearizable() {
    List<CheckerBenchmark.Measurement> results = CheckerBenchmark.run(new PrintWriter(System.out, true), Duration.ofSeconds(120));
    assertThat(results).hasSize(2).allMatch(m -> m.result().verdict() == Verdict.LINEARIZABLE);
  }
}
