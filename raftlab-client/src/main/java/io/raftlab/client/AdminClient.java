package io.raftlab.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.admin.ControlRequest;
import io.raftlab.api.admin.ControlResponse;
import io.raftlab.api.admin.GetLogRequest;
import io.raftlab.api.admin.GetLogResponse;
import io.raftlab.api.admin.GetStateRequest;
import io.raftlab.api.admin.NodeState;
import io.raftlab.api.admin.TransferLeadershipRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Inspection and control of one node (the Admin service). No redirects and no retries: every
 * method is one RPC to this node, bounded by the timeout, failing with {@link AdminException}.
 */
public final class AdminClient implements AutoCloseable {

  private final EndpointAddress endpoint;
  private final ManagedChannel channel;
  private final Duration timeout;

  private AdminClient(EndpointAddress endpoint, ManagedChannel channel, Duration timeout) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.timeout = timeout;
  }

  public static AdminClient connect(EndpointAddress endpoint, Duration timeout, ChannelFactory channels) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout " + timeout + " must be positive");
    }
    return new AdminClient(endpoint, channels.open(endpoint), timeout);
  }

  public static AdminClient connect(EndpointAddress endpoint, Duration timeout) {
    return connect(endpoint, timeout, ChannelFactory.plaintext());
  }

  public static AdminClient connect(String endpoint) {
    return connect(EndpointAddress.parse(endpoint, "endpoint"), ClientOptions.DEFAULT_CALL_TIMEOUT);
  }

  public EndpointAddress endpoint() {
    return endpoint;
  }

  public NodeState getState() {
    return call("GetState", s -> s.getState(GetStateRequest.getDefaultInstance()));
  }

  /**
   * Entries in [fromIndex, toIndex) or only their hash; 0 means "first index" for fromIndex and
   * "past the last index" for toIndex.
   */
  public GetLogResponse getLog(long fromIndex, long toIndex, boolean hashOnly) {
    if (fromIndex < 0) {
      throw new IllegalArgumentException("fromIndex " + fromIndex + " must be >= 0");
    }
    if (toIndex < 0) {
      throw new IllegalArgumentException("toIndex " + toIndex + " must be >= 0 (0 = past the last index)");
    }
    if (toIndex != 0 && toIndex < fromIndex) {
      throw new IllegalArgumentException(
          "toIndex " + toIndex + " is before fromIndex " + fromIndex + " (toIndex is exclusive; 0 = past the last index)");
    }
    GetLogRequest request =
        GetLogRequest.newBuilder().setFromIndex(fromIndex).setToIndex(toIndex).setHashOnly(hashOnly).build();
    return call("GetLog", s -> s.getLog(request));
  }

  /** Asks the node to start an election now. */
  public ControlResponse campaign() {
    return call("Campaign", s -> s.campaign(ControlRequest.getDefaultInstance()));
  }

  /** Asks the node (which should be the leader) to hand leadership to the node with id {@code to}. */
  public ControlResponse transferLeadership(String to) {
    Objects.requireNonNull(to, "to");
    if (to.isBlank()) {
      throw new IllegalArgumentException("transferLeadership: target node id must not be blank");
    }
    return call("TransferLeadership", s -> s.transferLeadership(TransferLeadershipRequest.newBuilder().setTo(to).build()));
  }

  public ControlResponse stepDown() {
    return call("StepDown", s -> s.stepDown(ControlRequest.getDefaultInstance()));
  }

  private <T> T call(String method, Function<AdminGrpc.AdminBlockingStub, T> rpc) {
    AdminGrpc.AdminBlockingStub stub =
        AdminGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return rpc.apply(stub);
    } catch (StatusRuntimeException e) {
      throw new AdminException(endpoint, method, e.getStatus(), e);
    }
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
