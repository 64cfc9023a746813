package io.raftlab.chaos.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * White-box invariants over inspection samples of a running cluster: at most one leader per term
 * (Election Safety), a node's term never goes back, its commit index never goes back while it
 * stays up (commit is volatile, so a restart may lower it), and committed prefixes agree: every
 * node reports the same hash for the same committed range, and a range's hash never changes.
 * Pure bookkeeping: {@link InvariantMonitor} feeds it from live nodes.
 */
public final class InvariantTracker {

  /** One node's state as inspection reported it; {@code uptimeMillis} tells restarts apart. */
  public record Sample(String node, String role, long term, long commit, long uptimeMillis) {}

  public record Violation(String invariant, String evidence) {
    @Override
    public String toString() {
      return invariant + ": " + evidence;
    }
  }

  private final Map<Long, String> leaderOfTerm = new HashMap<>();
  private final Map<String, Sample> last = new HashMap<>();
  /** Hash of the committed range [1, end] first seen, by end index. */
  private final TreeMap<Long, String> prefixHash = new TreeMap<>();
  private final Map<Long, String> prefixSource = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private long prefixChecks;

  public synchronized void observe(Sample s) {
    if ("LEADER".equals(s.role())) {
      String other = leaderOfTerm.putIfAbsent(s.term(), s.node());
      if (other != null && !other.equals(s.node())) {
        violations.add(new Violation("Election Safety", "term " + s.term() + " has two leaders: " + other + " and " + s.node()));
      }
    }
    Sample prev = last.put(s.node(), s);
    if (prev == null) {
      return;
    }
    if (s.term() < prev.term()) {
      violations.add(new Violation("Monotonic Term", s.node() + " went from term " + prev.term() + " back to " + s.term()));
    }
    boolean restarted = s.uptimeMillis() < prev.uptimeMillis();
    if (!restarted && s.commit() < prev.commit()) {
      violations.add(new Violation("Monotonic Commit", s.node() + " went from commit " + prev.commit() + " back to "
          + s.commit() + " without restarting"));
    }
  }

  /** {@code hash} is the node's hash of its log entries [1, end], all of them committed on that node. */
  public synchronized void observePrefix(String node, long end, String hash) {
    prefixChecks++;
    String seen = prefixHash.putIfAbsent(end, hash);
    if (seen == null) {
      prefixSource.put(end, node);
    } else if (!seen.equals(hash)) {
      violations.add(new Violation("Committed Prefixes Agree", "entries [1, " + end + "] hash differently on "
          + prefixSource.get(end) + " and " + node));
    }
  }

  public synchronized List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** How many prefix hashes were compared. */
  public synchronized long prefixChecks() {
    return prefixChecks;
  }

  public synchronized int termsSeen() {
    return leaderOfTerm.size();
  }
}
