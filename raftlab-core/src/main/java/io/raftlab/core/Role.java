package io.raftlab.core;

/** A node's role. PRE_CANDIDATE is the pre-vote phase (dissertation §9.6): it does not bump the term. */
public enum Role {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
