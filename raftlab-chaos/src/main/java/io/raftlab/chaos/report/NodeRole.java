package io.raftlab.chaos.report;

/** A node's Raft role as sampled in states.jsonl; DOWN means the process was not running. */
public enum NodeRole {
  LEADER,
  FOLLOWER,
  CANDIDATE,
  PRE_CANDIDATE,
  DOWN
}
