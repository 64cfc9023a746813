package io.raftlab.chaos.monkey;

import java.nio.file.Path;
import java.util.List;

/**
 * How one trial (a plan on one implementation, one repeat) ended.
 *
 * @param verdict LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN (checker gave up) or ERROR (the trial could not run)
 * @param monitored whether the invariant monitor watched the trial (implementations with raftlab inspection)
 * @param violations invariant violations the monitor saw
 * @param error why the trial could not run or stopped early, or null
 */
public record TrialResult(int plan, int repeat, String implementation, Path dir, long ok, long fail, long info, int faults,
    String verdict, boolean monitored, List<String> violations, String error, long elapsedMillis) {

  public boolean broken() {
    return verdict.equals("NOT_LINEARIZABLE") || !violations.isEmpty();
  }

  public String label() {
    return implementation + "-r" + repeat;
  }
}
