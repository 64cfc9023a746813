package io.raftlab.sim.invariant;

import io.raftlab.core.Entry;
import io.raftlab.core.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Checks Raft's safety properties incrementally, from the facts the simulator feeds it as they
 * happen: roles seen after each step, entries and commit indexes as they leave a node in a Ready,
 * entries as they are applied, writes and reads as clients are answered. Each fact costs O(1)
 * amortised (a leader change costs O(1) too, thanks to prefix hashes), so it can run after every
 * step.
 *
 * <p>Logs are summarised by prefix hashes: {@code h(i) = mix(h(i-1), digest(entry i))}. Two logs
 * agree up to index i iff (with overwhelming probability) their prefix hashes at i are equal, which
 * turns Log Matching and the committed-prefix checks into one comparison.
 */
public final class InvariantChecker {

  private final int nodes;
  private final String[] names;
  private final Set<Property> skipped;
  private final LogView[] views;

  // Election Safety: leaderOfTerm[t] = node index + 1, 0 if none seen.
  private int[] leaderOfTerm = new int[64];
  private long elections;

  // Leader Append-Only: the term each node is leader in (-1 if not), and the last entry seen then.
  private final long[] leaderTerm;
  private final long[] leaderSeenIndex;
  private final long[] leaderSeenTerm;
  private final boolean[] appendArmed;

  // Each node's log as it left the node in Readies: terms and prefix hashes by index.
  private final long[][] mirrorTerm;
  private final long[][] mirrorHash;
  private final long[] mirrorLast;

  // Log Matching across all nodes: (index, term) -> prefix hash.
  private final EntryKeyMap prefixOf = new EntryKeyMap();

  // Entries known committed: term, prefix hash, and the term of the node that first reported it.
  private long[] commitTerm = new long[256];
  private long[] commitHash = new long[256];
  private long[] commitSeenInTerm = new long[256];
  private long committed;

  // State Machine Safety: what was applied at each index, and the state digest right after it.
  private long[] appliedDigest = new long[256];
  private long[] stateDigest = new long[256];
  private long appliedMax;
  private final long[] nodeApplied;
  private final long[] nodeCommit;

  // Acknowledged writes: term by index (0 = none), and the highest acked index.
  private long[] ackedTerm = new long[256];
  private long[] ackedSeenInTerm = new long[256];
  private long ackedMax;
  /** The highest commit index acknowledged to any client (acked writes and served reads). */
  private long ackedWatermark;

  public InvariantChecker(String[] names, Set<Property> skipped) {
    this.nodes = names.length;
    this.names = names.clone();
    this.skipped = skipped;
    this.views = new LogView[nodes];
    leaderTerm = new long[nodes];
    Arrays.fill(leaderTerm, -1);
    leaderSeenIndex = new long[nodes];
    leaderSeenTerm = new long[nodes];
    appendArmed = new boolean[nodes];
    mirrorTerm = new long[nodes][64];
    mirrorHash = new long[nodes][64];
    mirrorLast = new long[nodes];
    nodeApplied = new long[nodes];
    nodeCommit = new long[nodes];
  }

  /** Points the checker at a node's live log (again after each restart). */
  public void attach(int node, LogView view) {
    views[node] = view;
  }

  private boolean on(Property p) {
    return !skipped.contains(p);
  }

  private static void fail(Property p, String evidence) {
    throw new InvariantViolation(p, evidence);
  }

  // ---------------------------------------------------------------- roles

  /** A node's role and term as seen after a step (or just before its Ready is taken). */
  public void observe(int node, Role role, long term) {
    if (role != Role.LEADER) {
      leaderTerm[node] = -1;
      return;
    }
    LogView log = views[node];
    if (leaderTerm[node] != term) {
      becameLeader(node, term, log);
    } else if (on(Property.LEADER_APPEND_ONLY)) {
      long last = log.lastIndex();
      long seen = leaderSeenIndex[node];
      if (last < seen || (seen > 0 && log.termAt(seen) != leaderSeenTerm[node])) {
        fail(Property.LEADER_APPEND_ONLY, names[node] + " is leader of term " + term + " and its log changed under it:"
            + " it held entry " + seen + "@" + leaderSeenTerm[node] + ", now last index " + last
            + " and term at " + seen + " is " + log.termAt(seen));
      }
    }
    long last = log.lastIndex();
    leaderSeenIndex[node] = last;
    leaderSeenTerm[node] = last > 0 ? log.termAt(last) : 0;
  }

  private void becameLeader(int node, long term, LogView log) {
    leaderTerm[node] = term;
    appendArmed[node] = false;
    if (term >= leaderOfTerm.length) {
      leaderOfTerm = Arrays.copyOf(leaderOfTerm, (int) Math.max(term + 1, leaderOfTerm.length * 2L));
    }
    int previous = leaderOfTerm[(int) term];
    if (previous == 0) {
      leaderOfTerm[(int) term] = node + 1;
      elections++;
    } else if (previous != node + 1 && on(Property.ELECTION_SAFETY)) {
      fail(Property.ELECTION_SAFETY, "term " + term + " has two leaders: " + names[previous - 1] + " and " + names[node]);
    }
    // Entries known committed while the observer was in a term below this one were committed in a
    // term below it too, so this leader must hold them. (A node may become leader of an old term
    // late, e.g. after a pause, so later commits are not held against it.)
    if (on(Property.LEADER_COMPLETENESS)) {
      long i = highestBelow(commitSeenInTerm, committed, term);
      if (i > 0 && log.termAt(i) != commitTerm[(int) i]) {
        fail(Property.LEADER_COMPLETENESS, names[node] + " became leader of term " + term + " without committed entry "
            + i + "@" + commitTerm[(int) i] + " (its log has term " + log.termAt(i) + " there, last index "
            + log.lastIndex() + ")");
      }
    }
    if (on(Property.ACKED_WRITE_DURABILITY)) {
      long i = highestBelow(ackedSeenInTerm, ackedMax, term);
      if (i > 0 && log.termAt(i) != ackedTerm[(int) i]) {
        fail(Property.ACKED_WRITE_DURABILITY, names[node] + " became leader of term " + term
            + " without acknowledged write " + i + "@" + ackedTerm[(int) i] + " (its log has term " + log.termAt(i)
            + " there)");
      }
    }
  }

  /** The highest index at or below {@code top} recorded in a term below {@code term}, or 0. */
  private static long highestBelow(long[] seenInTerm, long top, long term) {
    for (long i = top; i > 0; i--) {
      long seen = seenInTerm[(int) i];
      if (seen != 0 && seen < term) {
        return i;
      }
    }
    return 0;
  }

  public long elections() {
    return elections;
  }

  // ---------------------------------------------------------------- logs

  /**
   * Entries leaving {@code node} in a Ready, to be persisted: the node's log now ends with them.
   * {@code nodeTerm} and {@code isLeader} describe the node when the Ready was taken.
   */
  public void entriesEmitted(int node, List<Entry> entries, boolean isLeader, long nodeTerm) {
    if (entries.isEmpty()) {
      return;
    }
    long first = entries.get(0).index();
    if (first < 1 || first > mirrorLast[node] + 1) {
      fail(Property.CORE_CONTRACT, names[node] + " emitted entries from index " + first + " but its log ends at "
          + mirrorLast[node] + " (a gap)");
    }
    if (isLeader && leaderTerm[node] == nodeTerm && appendArmed[node] && first <= mirrorLast[node]
        && on(Property.LEADER_APPEND_ONLY)) {
      fail(Property.LEADER_APPEND_ONLY, names[node] + " is leader of term " + nodeTerm + " and rewrote its log from index "
          + first + " (log ended at " + mirrorLast[node] + "@" + mirrorTerm[node][(int) mirrorLast[node]] + ", new "
          + entries.get(0) + ")");
    }
    if (isLeader && leaderTerm[node] == nodeTerm) {
      appendArmed[node] = true;
    }
    long last = first + entries.size() - 1;
    ensureMirror(node, last);
    long[] terms = mirrorTerm[node];
    long[] hashes = mirrorHash[node];
    long keptHash = nodeCommit[node] > 0 ? hashes[(int) nodeCommit[node]] : 0;
    long expect = first;
    for (Entry e : entries) {
      int i = (int) e.index();
      if (e.index() != expect) {
        fail(Property.CORE_CONTRACT, names[node] + " emitted non-consecutive entries: expected index " + expect
            + ", got " + e);
      }
      expect++;
      if (e.term() < terms[i - 1] || e.term() > nodeTerm) {
        fail(Property.LOG_MATCHING, names[node] + " log terms out of order: entry " + e + " follows "
            + (i - 1) + "@" + terms[i - 1] + " (node term " + nodeTerm + ")");
      }
      long h = prefixHash(hashes[i - 1], e);
      terms[i] = e.term();
      hashes[i] = h;
      if (on(Property.LOG_MATCHING)) {
        long stored = prefixOf.putIfAbsent(e.index(), e.term(), h);
        if (stored != h) {
          fail(Property.LOG_MATCHING, names[node] + " holds entry " + e + " but its log up to index " + e.index()
              + " differs from another node's log that holds the same index and term");
        }
      }
    }
    mirrorLast[node] = last;
    // A node never changes entries it knows are committed.
    long known = nodeCommit[node];
    if (first <= known && on(Property.STATE_MACHINE_SAFETY)) {
      if (last < known || hashes[(int) known] != keptHash) {
        fail(Property.STATE_MACHINE_SAFETY, names[node] + " rewrote its log from index " + first + " to " + last
            + " although it had committed up to " + known);
      }
    }
  }

  /** A node restarted from disk: its log is what it persisted. */
  public void restarted(int node, List<Entry> persisted, long commit, long applied) {
    nodeCommit[node] = commit;
    mirrorLast[node] = 0;
    leaderTerm[node] = -1;
    ensureMirror(node, persisted.size());
    long h = 0;
    for (Entry e : persisted) {
      h = prefixHash(h, e);
      mirrorTerm[node][(int) e.index()] = e.term();
      mirrorHash[node][(int) e.index()] = h;
    }
    mirrorLast[node] = persisted.size();
    nodeApplied[node] = applied;
  }

  /** A commit index leaving {@code node} (in a HardState, or implied by applying an entry). */
  public void commitSeen(int node, long commit, long nodeTerm) {
    if (commit <= 0) {
      return;
    }
    if (commit > mirrorLast[node]) {
      fail(Property.CORE_CONTRACT, names[node] + " reports commit index " + commit + " beyond its log end "
          + mirrorLast[node]);
    }
    long[] hashes = mirrorHash[node];
    long check = Math.min(commit, committed);
    if (check > 0 && hashes[(int) check] != commitHash[(int) check] && on(Property.STATE_MACHINE_SAFETY)) {
      fail(Property.STATE_MACHINE_SAFETY, names[node] + " committed " + check + "@" + mirrorTerm[node][(int) check]
          + " but another node committed " + check + "@" + commitTerm[(int) check] + " (different logs up to there)");
    }
    nodeCommit[node] = Math.max(nodeCommit[node], commit);
    if (commit <= committed) {
      return;
    }
    ensureCommitted(commit);
    for (long i = committed + 1; i <= commit; i++) {
      commitTerm[(int) i] = mirrorTerm[node][(int) i];
      commitHash[(int) i] = hashes[(int) i];
      commitSeenInTerm[(int) i] = nodeTerm;
    }
    committed = commit;
    // Every leader of a later term must already hold it (Leader Completeness).
    if (on(Property.LEADER_COMPLETENESS)) {
      for (int n = 0; n < nodes; n++) {
        if (leaderTerm[n] > nodeTerm) {
          long t = views[n].termAt(commit);
          if (t != commitTerm[(int) commit]) {
            fail(Property.LEADER_COMPLETENESS, names[n] + " is leader of term " + leaderTerm[n] + " but lacks entry "
                + commit + "@" + commitTerm[(int) commit] + ", committed as seen by " + names[node] + " in term "
                + nodeTerm + " (its log has term " + t + " there)");
          }
        }
      }
    }
  }

  public long committed() {
    return committed;
  }

  /** {@code node} applied {@code entry}, leaving its state machine with digest {@code stateAfter}. */
  public void applied(int node, Entry entry, long stateAfter, long nodeTerm) {
    long index = entry.index();
    if (index != nodeApplied[node] + 1) {
      fail(Property.CORE_CONTRACT, names[node] + " applied entry " + entry + " after index " + nodeApplied[node]
          + " (applies must be consecutive)");
    }
    nodeApplied[node] = index;
    if (index > committed) {
      commitSeen(node, index, nodeTerm);
    }
    long digest = entryDigest(entry);
    if (index > appliedMax) {
      ensureApplied(index);
      appliedDigest[(int) index] = digest;
      stateDigest[(int) index] = stateAfter;
      appliedMax = index;
    } else if (on(Property.STATE_MACHINE_SAFETY)) {
      if (appliedDigest[(int) index] != digest) {
        fail(Property.STATE_MACHINE_SAFETY, names[node] + " applied " + entry + " at index " + index
            + " but another node applied a different entry there (committed " + index + "@"
            + commitTerm[(int) index] + ")");
      }
      if (stateDigest[(int) index] != stateAfter) {
        fail(Property.STATE_MACHINE_SAFETY, names[node] + " reached a different state machine state after applying index "
            + index + " than another node did");
      }
    }
    if (entry.term() != commitTerm[(int) index] && on(Property.STATE_MACHINE_SAFETY)) {
      fail(Property.STATE_MACHINE_SAFETY, names[node] + " applied " + entry + " but " + index + "@"
          + commitTerm[(int) index] + " was committed there");
    }
  }

  // ---------------------------------------------------------------- clients

  /** A write at (index, term) was acknowledged to a client by {@code node}, whose term is {@code nodeTerm}. */
  public void writeAcked(int node, long index, long term, long nodeTerm) {
    ensureAcked(index);
    ackedTerm[(int) index] = term;
    ackedSeenInTerm[(int) index] = nodeTerm;
    ackedMax = Math.max(ackedMax, index);
    ackedWatermark = Math.max(ackedWatermark, index);
    if (on(Property.ACKED_WRITE_DURABILITY)) {
      for (int n = 0; n < nodes; n++) {
        if (leaderTerm[n] > nodeTerm && views[n].termAt(index) != term) {
          fail(Property.ACKED_WRITE_DURABILITY, names[n] + " is leader of term " + leaderTerm[n]
              + " but lacks acknowledged write " + index + "@" + term + " (acked by " + names[node] + " in term "
              + nodeTerm + ")");
        }
      }
    }
  }

  /** The watermark a read invoked now must reach: the highest commit index acknowledged so far. */
  public long readWatermark() {
    return ackedWatermark;
  }

  /** {@code node} fixed read point {@code index} for a read invoked when the watermark was {@code watermark}. */
  public void readIndexed(int node, long context, long index, long watermark, String client) {
    if (index < watermark && on(Property.READ_FRESHNESS)) {
      fail(Property.READ_FRESHNESS, names[node] + " served read " + context + " for " + client + " at index " + index
          + " but index " + watermark + " had been acknowledged to a client before the read was invoked");
    }
  }

  /** A read at read point {@code index} was answered to a client. */
  public void readAnswered(long index) {
    ackedWatermark = Math.max(ackedWatermark, index);
  }

  // ---------------------------------------------------------------- hashing and storage

  static long entryDigest(Entry e) {
    long h = 0xcbf29ce484222325L;
    for (byte b : e.data()) {
      h = (h ^ b) * 0x100000001b3L;
    }
    h ^= e.term() * 0x9E3779B97F4A7C15L + e.index() * 0xC2B2AE3D27D4EB4FL + e.type().ordinal();
    return mix(h);
  }

  static long prefixHash(long previous, Entry e) {
    return mix(previous * 0x9E3779B97F4A7C15L ^ entryDigest(e));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private void ensureMirror(int node, long index) {
    if (index >= mirrorTerm[node].length) {
      int size = (int) Math.max(index + 1, mirrorTerm[node].length * 2L);
      mirrorTerm[node] = Arrays.copyOf(mirrorTerm[node], size);
      mirrorHash[node] = Arrays.copyOf(mirrorHash[node], size);
    }
  }

  private void ensureCommitted(long index) {
    if (index >= commitTerm.length) {
      int size = (int) Math.max(index + 1, commitTerm.length * 2L);
      commitTerm = Arrays.copyOf(commitTerm, size);
      commitHash = Arrays.copyOf(commitHash, size);
      commitSeenInTerm = Arrays.copyOf(commitSeenInTerm, size);
    }
  }

  private void ensureApplied(long index) {
    if (index >= appliedDigest.length) {
      int size = (int) Math.max(index + 1, appliedDigest.length * 2L);
      appliedDigest = Arrays.copyOf(appliedDigest, size);
      stateDigest = Arrays.copyOf(stateDigest, size);
    }
  }

  private void ensureAcked(long index) {
    if (index >= ackedTerm.length) {
      int size = (int) Math.max(index + 1, ackedTerm.length * 2L);
      ackedTerm = Arrays.copyOf(ackedTerm, size);
      ackedSeenInTerm = Arrays.copyOf(ackedSeenInTerm, size);
    }
  }
}
