package io.raftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.core.Entry;
import io.raftlab.sim.record.RunRecorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  /** Everything observable about a run: printed trace, run files, final persisted logs. */
  private record Run(List<String> trace, String history, String nemesis, String states, List<List<Entry>> logs,
      SimResult result) {}

  private static Run run(long seed, SimOptions options, long steps) {
    List<String> trace = new ArrayList<>();
    RunRecorder rec = new RunRecorder();
    Simulation sim = new Simulation(seed, options).traceTo(trace::add).recordTo(rec);
    SimResult r = sim.run(steps);
    List<List<Entry>> logs = new ArrayList<>();
    for (int i = 0; i < options.nodes(); i++) {
      logs.add(List.copyOf(sim.persistedLog(i)));
    }
    return new Run(trace, rec.historyJsonl(), rec.nemesisJsonl(), rec.statesJsonl(), logs, r);
  }

  @Test
  void sameSeedGivesTheSameTraceFilesAndFinalLogs() {
    SimOptions o = SimOptions.defaults();
    Run a = run(42, o, 3000);
    Run b = run(42, o, 3000);
    assertThat(a.trace()).isNotEmpty().isEqualTo(b.trace());
    assertThat(a.history()).isNotEmpty().isEqualTo(b.history());
    assertThat(a.nemesis()).isEqualTo(b.nemesis());
    assertThat(a.states()).isEqualTo(b.states());
    assertThat(a.logs()).isEqualTo(b.logs());
    assertThat(a.logs().stream().mapToInt(List::size).max().orElse(0)).isPositive();
    assertThat(a.result().finalStateDigest()).isEqualTo(b.result().finalStateDigest());
  }

  @Test
  void differentSeedsGiveDifferentRuns() {
    SimOptions o = SimOptions.defaults();
    Run a = run(1, o, 2000);
    Run b = run(2, o, 2000);
    assertThat(a.trace()).isNotEqualTo(b.trace());
    assertThat(a.history()).isNotEqualTo(b.history());
  }

  @Test
  void aShorterRunIsAPrefixOfALongerOne() {
    // This is what makes the printed replay command (--steps = the violating step) reproduce a run.
    SimOptions o = SimOptions.defaults();
    Run shorter = run(9, o, 1000);
    Run longer = run(9, o, 2000);
    assertThat(longer.trace()).startsWith(shorter.trace().toArray(String[]::new));
  }

  @Test
  void sweepResultsDoNotDependOnThreadCount() {
    SimOptions o = SimOptions.defaults();
    SeedSweep.Summary one = new SeedSweep(o, 1500, 1).run(100, 20, false, null);
    SeedSweep.Summary two = new SeedSweep(o, 1500, 2).run(100, 20, false, null);
    assertThat(two.steps()).isEqualTo(one.steps());
    assertThat(two.commits()).isEqualTo(one.commits());
    assertThat(two.elections()).isEqualTo(one.elections());
    assertThat(two.coreSteps()).isEqualTo(one.coreSteps());
  }
}
