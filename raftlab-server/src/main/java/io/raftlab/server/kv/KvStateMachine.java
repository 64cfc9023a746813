package io.raftlab.server.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftlab.api.command.Command;
import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import java.util.HashMap;
import java.util.Map;

/**
 * The replicated key-value map. Entries are applied in log order on one thread; reads of the
 * map happen on that same thread, after the read point was applied.
 */
public final class KvStateMachine {

  private final Map<String, String> data = new HashMap<>();
  private final ClientSessions sessions;
  private long appliedIndex;

  public KvStateMachine(long sessionTtlMillis) {
    this.sessions = new ClientSessions(sessionTtlMillis);
  }

  /**
   * Applies one committed entry and returns the answer for a client write, or null for entries
   * that carry none (the leader's no-op).
   */
  public WriteResult apply(Entry entry) {
    if (entry.index() != appliedIndex + 1) {
      throw new IllegalStateException("applying entry " + entry.index() + " after " + appliedIndex + ": entries must be applied in order");
    }
    appliedIndex = entry.index();
    if (entry.type() != EntryType.NORMAL) {
      return null;
    }
    Command cmd;
    try {
      cmd = Command.parseFrom(entry.data());
    } catch (InvalidProtocolBufferException e) {
      // A committed entry we cannot read is a corrupt log or an incompatible writer: stop, do not skip.
      throw new IllegalStateException("committed entry " + entry.index() + "@" + entry.term() + " is not a valid command: " + e.getMessage(), e);
    }
    sessions.advanceClock(cmd.getProposedAtMillis());
    ClientSessions.Session session = sessions.get(cmd.getClientId());
    if (session == null) {
      // A client we do not know (new, or idle past the TTL) starts a session at whatever sequence
      // it sends: its first writes may have been lost. At-most-once holds as long as the TTL is far
      // longer than any client keeps retrying one request (minutes against seconds).
      session = sessions.open(cmd.getClientId());
    } else if (cmd.getSequence() == session.lastSequence) {
      session.lastActiveMillis = sessions.clockMillis();
      return session.lastResult; // a retry: the original answer, applied once
    } else if (cmd.getSequence() < session.lastSequence) {
      return WriteResult.refused(entry.index(), entry.term(), WriteResult.WriteError.STALE_SEQUENCE);
    }
    WriteResult result = execute(entry.index(), entry.term(), cmd);
    session.lastSequence = cmd.getSequence();
    session.lastResult = result;
    session.lastActiveMillis = sessions.clockMillis();
    return result;
  }

  private WriteResult execute(long index, long term, Command cmd) {
    switch (cmd.getOpCase()) {
      case PUT -> {
        String prev = data.put(cmd.getPut().getKey(), cmd.getPut().getValue());
        return new WriteResult(index, term, true, prev != null, prev, null);
      }
      case DELETE -> {
        String prev = data.remove(cmd.getDelete().getKey());
        return new WriteResult(index, term, prev != null, prev != null, prev, null);
      }
      case CAS -> {
        var cas = cmd.getCas();
        String current = data.get(cas.getKey());
        boolean matches = cas.getExpectAbsent() ? current == null : cas.getExpected().equals(current);
        if (matches) {
          data.put(cas.getKey(), cas.getNewValue());
          return new WriteResult(index, term, true, current != null, cas.getNewValue(), null);
        }
        return new WriteResult(index, term, false, current != null, current, null);
      }
      default -> throw new IllegalStateException("entry " + index + " carries a command with no operation");
    }
  }

  /** The value of {@code key}, or null. Call only on the apply thread. */
  public String get(String key) {
    return data.get(key);
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int size() {
    return data.size();
  }
}
