package io.raftlab.client;

import io.grpc.Status;

/** An admin RPC to one node failed (unreachable, timed out, or refused). */
public final class AdminException extends RuntimeException {

  private final EndpointAddress endpoint;
  private final String method;
  private final Status.Code code;

  AdminException(EndpointAddress endpoint, String method, Status status, Throwable cause) {
    super(method + " on " + endpoint + " failed: " + status.getCode()
        + (status.getDescription() == null ? "" : " \"" + status.getDescription() + "\""), cause);
    this.endpoint = endpoint;
    this.method = method;
    this.code = status.getCode();
  }

  public EndpointAddress endpoint() {
    return endpoint;
  }

  public String method() {
    return method;
  }

  public Status.Code code() {
    return code;
  }

  /** True when the node could not be reached at all or did not answer in time. */
  public boolean unreachable() {
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }
}
