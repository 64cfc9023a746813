package io.raftlab.chaos.adapter;

/**
 * How one client operation ended, in the history's vocabulary. {@code OK}: it took effect (a read's
 * {@code value} is what it saw, null for absent). {@code FAIL}: it certainly did not take effect (a
 * refused request, or a compare that did not match; then {@code value} is the current value if the
 * store said). {@code INFO}: unknown (a timeout or a lost connection after sending; the write may
 * still apply). {@code node} is the node that answered or was last tried; {@code error} says why a
 * non-OK operation ended so.
 */
public record OpResult(Outcome outcome, String value, String node, String error) {

  public enum Outcome { OK, FAIL, INFO }

  public static OpResult ok(String value, String node) {
    return new OpResult(Outcome.OK, value, node, null);
  }

  public static OpResult fail(String value, String node, String error) {
    return new OpResult(Outcome.FAIL, value, node, error);
  }

  public static OpResult unknown(String node, String error) {
    return new OpResult(Outcome.INFO, null, node, error);
  }
}
