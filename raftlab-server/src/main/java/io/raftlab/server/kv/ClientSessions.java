package io.raftlab.server.kv;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * At-most-once bookkeeping (Raft paper §8, dissertation §6.3): per client, the last sequence
 * number applied and its answer. This is replicated state: it changes only when entries are
 * applied, and sessions expire by the replicated proposal times in the entries, so every replica
 * keeps and drops the same sessions.
 */
final class ClientSessions {

  static final class Session {
    long lastSequence;
    WriteResult lastResult;
    long lastActiveMillis;
  }

  private final Map<String, Session> sessions = new HashMap<>();
  private final long ttlMillis;
  private long clockMillis;
  private long lastSweepMillis;

  ClientSessions(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  /** Advances the replicated clock and drops sessions idle for longer than the TTL. */
  void advanceClock(long proposedAtMillis) {
    clockMillis = Math.max(clockMillis, proposedAtMillis);
    // Sweep at most ten times per TTL: expiry is deterministic either way, sweeping only bounds memory.
    if (clockMillis - lastSweepMillis >= Math.max(1, ttlMillis / 10)) {
      lastSweepMillis = clockMillis;
      Iterator<Session> it = sessions.values().iterator();
      while (it.hasNext()) {
        if (clockMillis - it.next().lastActiveMillis > ttlMillis) {
          it.remove();
        }
      }
    }
  }

  Session get(String clientId) {
    Session s = sessions.get(clientId);
    if (s != null && clockMillis - s.lastActiveMillis > ttlMillis) {
      sessions.remove(clientId);
      return null;
    }
    return s;
  }

  Session open(String clientId) {
    Session s = new Session();
    sessions.put(clientId, s);
    return s;
  }

  int size() {
    return sessions.size();
  }

  long clockMillis() {
    return clockMillis;
  }
}
