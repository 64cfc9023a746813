package io.raftlab.chaos.scenario;

/**
 * Where a script names a node: a literal id ({@code n3}), {@code $leader} (the leader when the
 * statement runs), {@code $follower} (the first running node, in id order, that follows that
 * leader) or a variable bound by {@code let}.
 */
public record NodeRef(String text) {

  public static final String LEADER = "$leader";
  public static final String FOLLOWER = "$follower";

  public boolean isLiteral() {
    return !text.startsWith("$");
  }

  @Override
  public String toString() {
    return text;
  }
}
