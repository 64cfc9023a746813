package io.raftlab.chaos.monitor;

import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.admin.GetLogRequest;
import io.raftlab.api.admin.GetStateRequest;
import io.raftlab.api.admin.NodeState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Polls every node's inspection service while a run goes on and feeds an {@link InvariantTracker}:
 * states every {@code every}, and the hash of the committed prefix that all answering nodes share.
 * A node that does not answer (killed, paused, cut off) is skipped.
 */
public final class InvariantMonitor implements AutoCloseable {

  private final List<String> nodes;
  private final Function<String, Optional<String>> clientAddress;
  private final InvariantTracker tracker = new InvariantTracker();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long polls;

  public InvariantMonitor(List<String> nodes, Function<String, Optional<String>> clientAddress, Duration every) {
    this.nodes = List.copyOf(nodes);
    this.clientAddress = clientAddress;
    this.thread = new Thread(() -> {
      while (running) {
        pollOnce();
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "invariant-monitor");
    thread.setDaemon(true);
  }

  public InvariantMonitor start() {
    thread.start();
    return this;
  }

  /** One round: every node's state, then the shared committed prefix's hash on each. */
  public void pollOnce() {
    polls++;
    long shared = Long.MAX_VALUE;
    List<String> answering = new java.util.ArrayList<>();
    for (String node : nodes) {
      Optional<NodeState> s = state(node);
      if (s.isEmpty()) {
        continue;
      }
      NodeState st = s.get();
      tracker.observe(new InvariantTracker.Sample(node, st.getRole(), st.getTerm(), st.getCommitIndex(), st.getUptimeMillis()));
      answering.add(node);
      // Committed and durable on this node: a restart cannot shorten it, a new leader cannot change it.
      shared = Math.min(shared, Math.min(st.getCommitIndex(), st.getStableIndex()));
    }
    if (answering.size() < 2 || shared == 0 || shared == Long.MAX_VALUE) {
      return;
    }
    for (String node : answering) {
      Optional<AdminGrpc.AdminBlockingStub> a = stub(node);
      if (a.isEmpty()) {
        continue;
      }
      try {
        var log = a.get().withDeadlineAfter(1, TimeUnit.SECONDS)
            .getLog(GetLogRequest.newBuilder().setFromIndex(1).setToIndex(shared + 1).setHashOnly(true).build());
        tracker.observePrefix(node, shared, HexFormat.of().formatHex(log.getHash().toByteArray()));
      } catch (RuntimeException e) {
        // unreachable now (killed, paused, cut off): next round
      }
    }
  }

  private Optional<NodeState> state(String node) {
    return stub(node).flatMap(a -> {
      try {
        return Optional.of(a.withDeadlineAfter(500, TimeUnit.MILLISECONDS).getState(GetStateRequest.getDefaultInstance()));
      } catch (RuntimeException e) {
        // A killed or paused node: let the next round dial again at once, not after gRPC's backoff.
        clientAddress.apply(node).map(channels::get).ifPresent(ManagedChannel::resetConnectBackoff);
        return Optional.empty();
      }
    });
  }

  private Optional<AdminGrpc.AdminBlockingStub> stub(String node) {
    return clientAddress.apply(node).map(addr -> AdminGrpc.newBlockingStub(channels.computeIfAbsent(addr, x -> {
      int colon = x.lastIndexOf(':');
      return NettyChannelBuilder.forAddress(x.substring(0, colon), Integer.parseInt(x.substring(colon + 1))).usePlaintext().build();
    })));
  }

  public List<InvariantTracker.Violation> violations() {
    return tracker.violations();
  }

  public long prefixChecks() {
    return tracker.prefixChecks();
  }

  public long polls() {
    return polls;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
