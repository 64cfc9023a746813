package io.raftlab.chaos.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import java.net.ConnectException;
import java.util.List;
import java.util.Locale;

/** How an etcd/jetcd failure maps to the history's outcomes, and a short name for it. */
final class EtcdOutcomes {

  /** etcd errors that it returns before proposing anything: the request surely did not apply. */
  private static final List<String> NOT_APPLIED = List.of("connection refused", "no leader", "too many requests",
      "proposal dropped", "not capable", "request is too large", "no route to host");

  private EtcdOutcomes() {}

  /** Whether {@code failure} proves the request was never applied. */
  static boolean surelyNotApplied(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      for (String s : NOT_APPLIED) {
        if (m.contains(s)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A low-cardinality kind, e.g. "UNAVAILABLE/no leader" or "ConnectException". */
  static String kind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "ConnectException";
      }
    }
    if (failure instanceof EtcdException e) {
      String m = String.valueOf(e.getMessage());
      int colon = m.indexOf("etcdserver: ");
      String detail = colon >= 0 ? m.substring(colon + "etcdserver: ".length()) : "";
      return e.getErrorCode() + (detail.isEmpty() ? "" : "/" + detail);
    }
    return failure.getClass().getSimpleName();
  }

  /** A one-line description. */
  static String describe(Throwable failure) {
    StringBuilder b = new StringBuilder(kind(failure));
    if (failure.getMessage() != null) {
      b.append(": ").append(failure.getMessage().replace('\n', ' '));
    }
    return b.toString();
  }
}
