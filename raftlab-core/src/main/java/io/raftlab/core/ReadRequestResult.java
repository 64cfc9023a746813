package io.raftlab.core;

/**
 * What happened to a read-index request. ACCEPTED and FORWARDED mean a {@link ReadState} with the
 * same context will come out of a later Ready if leadership is confirmed; it may never come (the
 * leader stepped down, a message was lost), so callers need a timeout. NO_LEADER means try later.
 */
public enum ReadRequestResult {
  ACCEPTED,
  FORWARDED,
  NO_LEADER
}
