package io.raftlab.core.raft;

import io.raftlab.core.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The log as the core sees it: every entry in memory, plus two marks that tie it to the
 * caller's disk. {@code handedOut} is the last index given to the caller to persist;
 * {@code stable} the last index the caller confirmed durable. Index 0 is a sentinel with term 0,
 * so the first real entry is index 1. (Compaction will move the sentinel; {@link #firstIndex()}
 * is already the seam for it.)
 */
final class RaftLog {

  private final ArrayList<Entry> entries = new ArrayList<>();
  private final long offset = 0; // index of entries.get(0), the sentinel
  long committed;
  long stable;
  long handedOut;
  /** Last committed index handed to the caller to apply, and last confirmed applied. */
  long applying;
  long applied;

  RaftLog() {
    entries.add(new Entry(0, 0, io.raftlab.core.EntryType.NOOP, null));
  }

  /** Loads what the caller persisted: entries with consecutive indexes from 1. */
  void restore(List<Entry> persisted, long commit) {
    long expected = 1;
    for (Entry e : persisted) {
      if (e.index() != expected) {
        throw new IllegalStateException("restored log is not consecutive: expected index " + expected + ", got " + e.index());
      }
      if (e.term() < term(e.index() - 1)) {
        throw new IllegalStateException("restored log goes back in term at index " + e.index()
            + ": term " + e.term() + " after " + term(e.index() - 1));
      }
      entries.add(e);
      expected++;
    }
    if (commit > lastIndex()) {
      throw new IllegalStateException("restored commit index " + commit + " is beyond the last log index " + lastIndex());
    }
    committed = commit;
    stable = lastIndex();
    handedOut = lastIndex();
  }

  long firstIndex() {
    return offset + 1;
  }

  long lastIndex() {
    return offset + entries.size() - 1;
  }

  long lastTerm() {
    return entries.get(entries.size() - 1).term();
  }

  /** The term at {@code index}, or -1 if the log does not hold it. */
  long term(long index) {
    if (index < offset || index > lastIndex()) {
      return -1;
    }
    return entries.get((int) (index - offset)).term();
  }

  boolean matchTerm(long index, long term) {
    return term(index) == term;
  }

  Entry entry(long index) {
    return entries.get((int) (index - offset));
  }

  /** §5.4.1: a candidate's log is at least as up-to-date as ours. */
  boolean isUpToDate(long lastIndex, long lastTerm) {
    return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
  }

  /** Leader append: entries must follow the last index. */
  void append(Entry e) {
    entries.add(e);
  }

  /**
   * The follower side of AppendEntries: if the log matches (prevIndex, prevTerm), appends the new
   * entries, truncating at the first conflict (§5.3), advances commit to min(leaderCommit, last new
   * index), and returns the last new index. Returns -1 if the consistency check fails.
   */
  long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> newEntries) {
    if (!matchTerm(prevIndex, prevTerm)) {
      return -1;
    }
    long lastNew = prevIndex + newEntries.size();
    long conflict = findConflict(newEntries);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException("entry " + conflict + " conflicts with the committed log (commit " + committed + ")");
      }
      int from = (int) (conflict - newEntries.get(0).index());
      truncateFrom(conflict);
      for (int i = from; i < newEntries.size(); i++) {
        entries.add(newEntries.get(i));
      }
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** The first index where {@code ents} differ from the log (0 if none differs and none is new). */
  private long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  private void truncateFrom(long index) {
    if (index <= lastIndex()) {
      entries.subList((int) (index - offset), entries.size()).clear();
    }
    handedOut = Math.min(handedOut, index - 1);
    stable = Math.min(stable, index - 1);
  }

  /**
   * The fast back-off hint: the largest index at or below {@code index} whose term is at most
   * {@code term}. A follower sends it with a rejection; the leader uses it on its own log to
   * skip a whole term of mismatches per round trip instead of one entry.
   */
  long findConflictByTerm(long index, long term) {
    long i = Math.min(index, lastIndex());
    while (i > offset && term(i) > term) {
      i--;
    }
    return i;
  }

  void commitTo(long index) {
    if (index > committed) {
      if (index > lastIndex()) {
        throw new IllegalStateException("commit index " + index + " is beyond the last log index " + lastIndex());
      }
      committed = index;
    }
  }

  /** Entries in [lo, hi), at most {@code maxCount} and (past the first) at most {@code maxBytes}. */
  List<Entry> slice(long lo, long hi, int maxCount, long maxBytes) {
    lo = Math.max(lo, firstIndex());
    hi = Math.min(hi, lastIndex() + 1);
    if (lo >= hi) {
      return List.of();
    }
    int count = (int) Math.min(hi - lo, maxCount);
    long bytes = 0;
    int n = 0;
    while (n < count) {
      Entry e = entry(lo + n);
      bytes += e.sizeBytes();
      if (n > 0 && bytes > maxBytes) {
        break;
      }
      n++;
    }
    int from = (int) (lo - offset);
    return Collections.unmodifiableList(new ArrayList<>(entries.subList(from, from + n)));
  }

  /** Entries not yet handed out for persistence; marks them handed out. */
  List<Entry> takeUnpersisted() {
    if (handedOut >= lastIndex()) {
      return List.of();
    }
    List<Entry> out = slice(handedOut + 1, lastIndex() + 1, Integer.MAX_VALUE, Long.MAX_VALUE);
    handedOut = lastIndex();
    return out;
  }

  boolean hasUnpersisted() {
    return handedOut < lastIndex();
  }

  /** Committed entries not yet handed out to apply; marks them handed out. */
  List<Entry> takeCommitted() {
    if (applying >= committed) {
      return List.of();
    }
    List<Entry> out = slice(applying + 1, committed + 1, Integer.MAX_VALUE, Long.MAX_VALUE);
    applying = committed;
    return out;
  }

  boolean hasCommittedToApply() {
    return applying < committed;
  }

  /** The caller made the entries of a Ready durable, up to (index, term) if that entry still stands. */
  void stableTo(long index, long term) {
    if (index > stable && matchTerm(index, term)) {
      stable = index;
    }
  }

  void appliedTo(long index) {
    applied = Math.max(applied, index);
  }
}
