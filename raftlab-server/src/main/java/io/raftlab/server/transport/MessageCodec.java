package io.raftlab.server.transport;

import com.google.protobuf.ByteString;
import io.raftlab.api.peer.RaftMessage;
import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import io.raftlab.core.InvalidMessageException;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import java.util.ArrayList;
import java.util.List;

/** Converts between the core's messages and their wire form; refuses what it cannot map. */
public final class MessageCodec {

  private MessageCodec() {}

  public static RaftMessage encode(Message m) {
    RaftMessage.Builder b = RaftMessage.newBuilder()
        .setType(io.raftlab.api.peer.MessageType.valueOf(m.type().name()))
        .setFrom(m.from())
        .setTo(m.to())
        .setTerm(m.term())
        .setLogTerm(m.logTerm())
        .setIndex(m.index())
        .setCommit(m.commit())
        .setReject(m.reject())
        .setRejectHint(m.rejectHint())
        .setContext(m.context())
        .setForce(m.force());
    for (Entry e : m.entries()) {
      b.addEntries(io.raftlab.api.peer.Entry.newBuilder()
          .setTerm(e.term())
          .setIndex(e.index())
          .setType(io.raftlab.api.peer.EntryType.valueOf(e.type().name()))
          .setData(ByteString.copyFrom(e.data())));
    }
    return b.build();
  }

  public static Message decode(RaftMessage p) {
    MessageType type = switch (p.getType()) {
      case MESSAGE_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw new InvalidMessageException(
          "peer message from '" + p.getFrom() + "' has an unknown type (" + p.getTypeValue() + ")");
      default -> MessageType.valueOf(p.getType().name());
    };
    if (p.getFrom().isEmpty() || p.getTo().isEmpty()) {
      throw new InvalidMessageException("peer message " + type + " lacks a sender or recipient");
    }
    List<Entry> entries = new ArrayList<>(p.getEntriesCount());
    for (io.raftlab.api.peer.Entry e : p.getEntriesList()) {
      EntryType et = switch (e.getType()) {
        case NORMAL -> EntryType.NORMAL;
        case NOOP -> EntryType.NOOP;
        default -> throw new InvalidMessageException("peer message " + type + " from " + p.getFrom()
            + " carries entry " + e.getIndex() + " of unknown type " + e.getTypeValue());
      };
      entries.add(new Entry(e.getTerm(), e.getIndex(), et, e.getData().toByteArray()));
    }
    return new Message(type, p.getFrom(), p.getTo(), p.getTerm(), p.getLogTerm(), p.getIndex(), entries,
        p.getCommit(), p.getReject(), p.getRejectHint(), p.getContext(), p.getForce());
  }
}
