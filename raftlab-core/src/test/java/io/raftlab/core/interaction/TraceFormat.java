package io.raftlab.core.interaction;

import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import io.raftlab.core.HardState;
import io.raftlab.core.Message;
import io.raftlab.core.NodeStatus;
import io.raftlab.core.ReadState;
import io.raftlab.core.Ready;
import io.raftlab.core.SoftState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How scripts show the core's values. Kept apart from the core's toString methods so that the
 * scripts show entry payloads and stay stable if the core's log format changes. No line this
 * class makes is blank or starts with '>' or '#' (the script format relies on it).
 */
final class TraceFormat {

  private TraceFormat() {}

  static String entry(Entry e) {
    String pos = e.index() + "@" + e.term();
    if (e.type() == EntryType.NOOP) {
      return pos + " noop";
    }
    return pos + " \"" + new String(e.data(), StandardCharsets.UTF_8) + "\"";
  }

  static String entries(List<Entry> es) {
    List<String> parts = new ArrayList<>();
    for (Entry e : es) {
      parts.add(entry(e));
    }
    return String.join(", ", parts);
  }

  /** Only index@term, for whole logs. */
  static String positions(List<Entry> es) {
    if (es.isEmpty()) {
      return "(empty)";
    }
    List<String> parts = new ArrayList<>();
    for (Entry e : es) {
      parts.add(e.index() + "@" + e.term());
    }
    return String.join(" ", parts);
  }

  static String message(Message m) {
    StringBuilder sb = new StringBuilder(64);
    sb.append(m.from()).append("->").append(m.to()).append(' ').append(m.type()).append(" term=").append(m.term());
    switch (m.type()) {
      case PRE_VOTE, VOTE -> {
        sb.append(" last=").append(m.index()).append('@').append(m.logTerm());
        if (m.force()) {
          sb.append(" force");
        }
      }
      case PRE_VOTE_RESPONSE, VOTE_RESPONSE -> sb.append(m.reject() ? " rejected" : " granted");
      case APPEND -> {
        sb.append(" prev=").append(m.index()).append('@').append(m.logTerm()).append(" commit=").append(m.commit());
        if (!m.entries().isEmpty()) {
          sb.append(" entries=[").append(entries(m.entries())).append(']');
        }
      }
      case APPEND_RESPONSE -> {
        if (m.reject()) {
          sb.append(" rejected index=").append(m.index()).append(" hint=").append(m.rejectHint()).append('@').append(m.logTerm());
        } else {
          sb.append(" index=").append(m.index());
        }
      }
      case HEARTBEAT -> sb.append(" commit=").append(m.commit()).append(" round=").append(m.context());
      case HEARTBEAT_RESPONSE -> sb.append(" round=").append(m.context());
      case READ_INDEX -> sb.append(" ctx=").append(m.context());
      case READ_INDEX_RESPONSE -> {
        sb.append(" ctx=").append(m.context()).append(" index=").append(m.index());
        if (m.reject()) {
          sb.append(" rejected");
        }
      }
      case TIMEOUT_NOW -> {}
    }
    return sb.toString();
  }

  static String hardState(HardState h) {
    return "term=" + h.term() + " vote=" + orNone(h.vote()) + " commit=" + h.commit();
  }

  static String softState(SoftState s) {
    return s.role() + " leader=" + orNone(s.leader());
  }

  static String readState(ReadState r) {
    return "ctx=" + r.context() + " index=" + r.index();
  }

  /** The Ready of node {@code id}, one field per line, empty fields left out. */
  static List<String> ready(String id, Ready rd) {
    List<String> out = new ArrayList<>();
    out.add(id + " ready:");
    if (rd.softState() != null) {
      out.add("  soft: " + softState(rd.softState()));
    }
    if (!rd.earlyMessages().isEmpty()) {
      out.add("  send before persist:");
      for (Message m : rd.earlyMessages()) {
        out.add("    " + message(m));
      }
    }
    if (rd.hardState() != null) {
      out.add("  hard: " + hardState(rd.hardState()));
    }
    if (!rd.entries().isEmpty()) {
      out.add("  persist: " + entries(rd.entries()));
    }
    if (!rd.messages().isEmpty()) {
      out.add("  send:");
      for (Message m : rd.messages()) {
        out.add("    " + message(m));
      }
    }
    if (!rd.committedEntries().isEmpty()) {
      out.add("  apply: " + entries(rd.committedEntries()));
    }
    if (!rd.readStates().isEmpty()) {
      List<String> rs = new ArrayList<>();
      for (ReadState r : rd.readStates()) {
        rs.add(readState(r));
      }
      out.add("  reads: " + String.join(", ", rs));
    }
    return out;
  }

  static List<String> status(NodeStatus s) {
    List<String> out = new ArrayList<>();
    out.add(s.id() + ": " + s.role() + " term=" + s.term() + " vote=" + orNone(s.vote()) + " leader=" + orNone(s.leader())
        + " commit=" + s.commit() + " applied=" + s.applied() + " last=" + s.lastIndex() + "@" + s.lastTerm()
        + " stable=" + s.stableIndex());
    if (s.leadTransferee() != null) {
      out.add("  transferring leadership to " + s.leadTransferee());
    }
    for (Map.Entry<String, NodeStatus.PeerProgress> e : s.progress().entrySet()) {
      NodeStatus.PeerProgress p = e.getValue();
      out.add("  progress " + e.getKey() + ": " + p.state() + " match=" + p.match() + " next=" + p.next()
          + " inflight=" + p.inflight() + (p.recentActive() ? " active" : " inactive"));
    }
    return out;
  }

  static String orNone(String s) {
    return s == null ? "none" : s;
  }
}
