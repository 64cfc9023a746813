package io.raftlab.core;

import java.util.List;

/**
 * A message between two nodes. One shape serves every {@link MessageType}; what each field
 * means depends on the type:
 *
 * <ul>
 *   <li>PRE_VOTE, VOTE: {@code index}/{@code logTerm} are the candidate's last log index and term;
 *       {@code force} marks a leader transfer or forced campaign, which ignores leader stickiness.
 *   <li>PRE_VOTE_RESPONSE, VOTE_RESPONSE: {@code reject} says whether the vote was refused.
 *   <li>APPEND: {@code index}/{@code logTerm} are the previous entry's index and term (the
 *       consistency check), {@code entries} the new entries, {@code commit} the leader's commit.
 *   <li>APPEND_RESPONSE: accepted: {@code index} is the follower's last matching index. Rejected:
 *       {@code index} is the rejected previous index, and ({@code rejectHint}, {@code logTerm}) the
 *       follower's hint: its largest index at or below the probe whose term is at most the probe's
 *       term, so the leader can skip a whole term at once.
 *   <li>HEARTBEAT: {@code commit} (never past what the follower is known to hold) and
 *       {@code context}, the read round it confirms. HEARTBEAT_RESPONSE echoes {@code context}.
 *   <li>READ_INDEX: {@code context} is the follower's request id. READ_INDEX_RESPONSE: the same
 *       {@code context}, and {@code index} the read point.
 * </ul>
 */
public record Message(
    MessageType type,
    String from,
    String to,
    long term,
    long logTerm,
    long index,
    List<Entry> entries,
    long commit,
    boolean reject,
    long rejectHint,
    long context,
    boolean force) {

  public Message {
    if (type == null) {
      throw new InvalidMessageException("message type is missing");
    }
    if (entries == null) {
      entries = List.of();
    }
  }

  /** Starts a message of the given type; fill the fields that the type uses. */
  public static Builder of(MessageType type, String from, String to, long term) {
    return new Builder(type, from, to, term);
  }

  public Builder toBuilder() {
    return new Builder(type, from, to, term)
        .logTerm(logTerm)
        .index(index)
        .entries(entries)
        .commit(commit)
        .reject(reject)
        .rejectHint(rejectHint)
        .context(context)
        .force(force);
  }

  /** Total payload size of the carried entries, for batching and accounting. */
  public long entryBytes() {
    long n = 0;
    for (Entry e : entries) {
      n += e.sizeBytes();
    }
    return n;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(64);
    sb.append(from).append("->").append(to).append(' ').append(type).append(" term=").append(term);
    switch (type) {
      case PRE_VOTE, VOTE -> {
        sb.append(" last=").append(index).append('@').append(logTerm);
        if (force) {
          sb.append(" force");
        }
      }
      case PRE_VOTE_RESPONSE, VOTE_RESPONSE -> sb.append(reject ? " rejected" : " granted");
      case APPEND -> {
        sb.append(" prev=").append(index).append('@').append(logTerm).append(" commit=").append(commit);
        sb.append(" entries=").append(entries);
      }
      case APPEND_RESPONSE -> {
        if (reject) {
          sb.append(" rejected index=").append(index).append(" hint=").append(rejectHint).append('@').append(logTerm);
        } else {
          sb.append(" index=").append(index);
        }
      }
      case HEARTBEAT -> sb.append(" commit=").append(commit).append(" round=").append(context);
      case HEARTBEAT_RESPONSE -> sb.append(" round=").append(context);
      case READ_INDEX -> sb.append(" ctx=").append(context);
      case READ_INDEX_RESPONSE -> {
        sb.append(" ctx=").append(context).append(" index=").append(index);
        if (reject) {
          sb.append(" rejected");
        }
      }
      case TIMEOUT_NOW -> {}
    }
    return sb.toString();
  }

  /** Fluent construction; unset numeric fields are 0. */
  public static final class Builder {
    private final MessageType type;
    private final String from;
    private final String to;
    private final long term;
    private long logTerm;
    private long index;
    private List<Entry> entries = List.of();
    private long commit;
    private boolean reject;
    private long rejectHint;
    private long context;
    private boolean force;

    private Builder(MessageType type, String from, String to, long term) {
      this.type = type;
      this.from = from;
      this.to = to;
      this.term = term;
    }

    public Builder logTerm(long v) { this.logTerm = v; return this; }
    public Builder index(long v) { this.index = v; return this; }
    public Builder entries(List<Entry> v) { this.entries = v; return this; }
    public Builder commit(long v) { this.commit = v; return this; }
    public Builder reject(boolean v) { this.reject = v; return this; }
    public Builder rejectHint(long v) { this.rejectHint = v; return this; }
    public Builder context(long v) { this.context = v; return this; }
    public Builder force(boolean v) { this.force = v; return this; }

    public Message build() {
      return new Message(type, from, to, term, logTerm, index, entries, commit, reject, rejectHint, context, force);
    }
  }
}
