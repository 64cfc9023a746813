package io.raftlab.client;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.batch.BatchStreamHandler;
import io.raftlab.api.kv.BatchRequest;
import io.raftlab.api.kv.BatchResponse;
import io.raftlab.api.admin.ControlRequest;
import io.raftlab.api.admin.ControlResponse;
import io.raftlab.api.admin.GetStateRequest;
import io.raftlab.api.admin.NodeState;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.CompareAndSetResponse;
import io.raftlab.api.kv.DeleteRequest;
import io.raftlab.api.kv.DeleteResponse;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.GetResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import io.raftlab.api.kv.ResponseHeader;
import io.raftlab.api.kv.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * In-process stand-in for a raftlab cluster that follows the server conventions the client relies
 * on: one shared store with per-session deduplication (a retried sequence gets the original
 * answer), NOT_LEADER with leader trailers from non-leaders, and scripted faults per node.
 */
final class FakeKvCluster implements AutoCloseable {

  /** What a node does with one incoming KV request. */
  enum Fault {
    NOT_LEADER_WITH_HINT, NOT_LEADER_NO_HINT,
    /** NOT_LEADER with hint but without the outcome trailer (a server predating it). */
    NOT_LEADER_WITHOUT_OUTCOME,
    /** UNAVAILABLE "no leader known", marked not-applied, as the real server refuses. */
    NO_LEADER,
    /** UNAVAILABLE with no trailers at all, as a proxy or the transport would produce. */
    UNAVAILABLE,
    /** A follower forwarded the write and lost the leader's answer: UNAVAILABLE, outcome unknown, leader named. */
    FORWARDED_ANSWER_LOST,
    INVALID_ARGUMENT, SESSION_EXPIRED,
    /** Apply, then never answer: the client's deadline fires. */
    APPLY_THEN_HANG,
    /** Apply, then answer DEADLINE_EXCEEDED as a server whose commit wait timed out would. */
    APPLY_THEN_SERVER_DEADLINE,
    /** Apply, then kill the node's server mid-call (connection lost after sending). */
    APPLY_THEN_CRASH
  }

  record Received(String node, String method, String clientId, long sequence, String key) {}

  private final Map<String, FakeNode> nodes = new LinkedHashMap<>();
  private final Map<String, String> store = new HashMap<>();
  private final Map<String, Long> lastSequence = new HashMap<>();
  private final Map<String, Object> lastAnswer = new HashMap<>();
  private final List<Received> received = new ArrayList<>();
  private final Map<String, AtomicInteger> inFlightWrites = new HashMap<>();
  private final Map<String, Integer> batchStreams = new HashMap<>();
  private int maxInFlightPerSession;
  private long index;
  private String leader;
  private static final AtomicInteger UNIQUE = new AtomicInteger();
  private final String prefix = "fake" + UNIQUE.incrementAndGet() + "-";

  /** Endpoint of node {@code id}: a host:port name for the in-process transport. */
  EndpointAddress endpoint(String id) {
    return new EndpointAddress(prefix + id, 9000 + Integer.parseInt(id.substring(1)));
  }

  FakeKvCluster start(String... ids) throws IOException {
    for (String id : ids) {
      FakeNode n = new FakeNode(id);
      nodes.put(id, n);
      n.start();
    }
    return this;
  }

  /** Starts a node's server again after APPLY_THEN_CRASH (or {@link #crash}) stopped it. */
  void restart(String id) throws IOException {
    nodes.get(id).start();
  }

  /** How many Batch streams clients opened to node {@code id}. */
  synchronized int batchStreamsOpened(String id) {
    return batchStreams.getOrDefault(id, 0);
  }

  synchronized void setLeader(String id) {
    leader = id;
  }

  synchronized void script(String id, Fault... faults) {
    for (Fault f : faults) {
      nodes.get(id).faults.add(f);
    }
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  synchronized long receivedBy(String id) {
    return received.stream().filter(r -> r.node().equals(id)).count();
  }

  synchronized Map<String, String> store() {
    return Map.copyOf(store);
  }

  synchronized int maxInFlightPerSession() {
    return maxInFlightPerSession;
  }

  static ChannelFactory inProcessChannels() {
    return e -> InProcessChannelBuilder.forName(e.toString()).build();
  }

  @Override
  public void close() {
    for (FakeNode n : nodes.values()) {
      n.server.shutdownNow();
    }
  }

  private synchronized Fault nextFault(FakeNode node) {
    Fault f = node.faults.poll();
    if (f != null) {
      return f;
    }
    if (node.id.equals(leader)) {
      return null;
    }
    return leader == null ? Fault.NO_LEADER : Fault.NOT_LEADER_WITH_HINT;
  }

  private synchronized void record(String node, String method, Session s, String key) {
    received.add(new Received(node, method, s == null ? null : s.getClientId(), s == null ? 0 : s.getSequence(), key));
  }

  /** Applies a write once per (client, sequence); a repeat gets the original answer. */
  @SuppressWarnings("unchecked")
  private synchronized <T> T applyOnce(Session s, Supplier<T> apply) {
    if (s == null) {
      return apply.get(); // a read
    }
    Long last = lastSequence.get(s.getClientId());
    if (last != null && s.getSequence() == last) {
      return (T) lastAnswer.get(s.getClientId());
    }
    if (last != null && s.getSequence() < last) {
      throw Status.INVALID_ARGUMENT.withDescription("stale sequence").asRuntimeException();
    }
    T answer = apply.get();
    lastSequence.put(s.getClientId(), s.getSequence());
    lastAnswer.put(s.getClientId(), answer);
    return answer;
  }

  private static Metadata outcome(String verdict) {
    Metadata m = new Metadata();
    m.put(Attempt.OUTCOME_KEY, verdict);
    return m;
  }

  private synchronized String currentLeader() {
    return leader;
  }

  private synchronized ResponseHeader header(String node) {
    return ResponseHeader.newBuilder().setNodeId(node).setTerm(7).setIndex(++index).setLeaderId(node).build();
  }

  private final class FakeNode {
    final String id;
    final Deque<Fault> faults = new ArrayDeque<>();
    Server server;

    FakeNode(String id) {
      this.id = id;
    }

    void start() throws IOException {
      server = InProcessServerBuilder.forName(endpoint(id).toString())
          .addService(new KvService())
          .addService(new AdminService())
          .build()
          .start();
    }

    <T> void handle(String method, Session s, String key, Supplier<T> apply, StreamObserver<T> out) {
      record(id, method, s, key);
      AtomicInteger inFlight = null;
      if (s != null) {
        synchronized (FakeKvCluster.this) {
          inFlight = inFlightWrites.computeIfAbsent(s.getClientId(), k -> new AtomicInteger());
          maxInFlightPerSession = Math.max(maxInFlightPerSession, inFlight.incrementAndGet());
        }
      }
      try {
        Fault f = nextFault(this);
        if (f == null) {
          T answer = applyOnce(s, apply);
          // Leave before answering: the client may start its next write as soon as it sees this.
          if (inFlight != null) {
            inFlight.decrementAndGet();
            inFlight = null;
          }
          out.onNext(answer);
          out.onCompleted();
          return;
        }
        switch (f) {
          case NOT_LEADER_WITH_HINT, NOT_LEADER_NO_HINT, NOT_LEADER_WITHOUT_OUTCOME -> {
            Metadata trailers = f == Fault.NOT_LEADER_WITHOUT_OUTCOME ? new Metadata() : outcome("not-applied");
            String l = currentLeader();
            if (f != Fault.NOT_LEADER_NO_HINT && l != null) {
              trailers.put(Attempt.LEADER_ID_KEY, l);
              trailers.put(Attempt.LEADER_ADDRESS_KEY, endpoint(l).toString());
            }
            out.onError(Status.FAILED_PRECONDITION.withDescription("NOT_LEADER: the leader is " + l)
                .asRuntimeException(trailers));
          }
          case NO_LEADER -> out.onError(Status.UNAVAILABLE.withDescription("no leader known; retry shortly")
              .asRuntimeException(outcome("not-applied")));
          case UNAVAILABLE -> out.onError(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
          case FORWARDED_ANSWER_LOST -> {
            Metadata trailers = outcome("unknown");
            String l = currentLeader();
            trailers.put(Attempt.LEADER_ID_KEY, l);
            trailers.put(Attempt.LEADER_ADDRESS_KEY, endpoint(l).toString());
            out.onError(Status.UNAVAILABLE.withDescription("forwarded to leader " + l + ": io exception")
                .asRuntimeException(trailers));
          }
          case INVALID_ARGUMENT -> out.onError(Status.INVALID_ARGUMENT.withDescription("key too long")
              .asRuntimeException(outcome("not-applied")));
          case SESSION_EXPIRED -> out.onError(Status.FAILED_PRECONDITION.withDescription("SESSION_EXPIRED: write refused")
              .asRuntimeException(outcome("unknown")));
          case APPLY_THEN_HANG -> applyOnce(s, apply); // never answers; the client's deadline cancels the call
          case APPLY_THEN_SERVER_DEADLINE -> {
            applyOnce(s, apply);
            out.onError(Status.DEADLINE_EXCEEDED.withDescription("not committed in time").asRuntimeException(outcome("unknown")));
          }
          case APPLY_THEN_CRASH -> {
            applyOnce(s, apply);
            server.shutdownNow();
          }
        }
      } catch (RuntimeException e) {
        out.onError(e);
      } finally {
        if (inFlight != null) {
          inFlight.decrementAndGet();
        }
      }
    }

    final class KvService extends KeyValueGrpc.KeyValueImplBase {
      @Override
      public StreamObserver<BatchRequest> batch(StreamObserver<BatchResponse> out) {
        synchronized (FakeKvCluster.this) {
          batchStreams.merge(id, 1, Integer::sum);
        }
        return new BatchStreamHandler(this, out);
      }

      @Override
      public void get(GetRequest r, StreamObserver<GetResponse> out) {
        handle("get", null, r.getKey(), () -> {
          synchronized (FakeKvCluster.this) {
            String v = store.get(r.getKey());
            GetResponse.Builder b = GetResponse.newBuilder().setHeader(header(id)).setFound(v != null);
            if (v != null) {
              b.setValue(v);
            }
            return b.build();
          }
        }, out);
      }

      @Override
      public void put(PutRequest r, StreamObserver<PutResponse> out) {
        handle("put", r.getSession(), r.getKey(), () -> {
          synchronized (FakeKvCluster.this) {
            String prev = store.put(r.getKey(), r.getValue());
            PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(id)).setHadPrevious(prev != null);
            if (prev != null && r.getReturnPrevious()) {
              b.setPrevious(prev);
            }
            return b.build();
          }
        }, out);
      }

      @Override
      public void delete(DeleteRequest r, StreamObserver<DeleteResponse> out) {
        handle("delete", r.getSession(), r.getKey(), () -> {
          synchronized (FakeKvCluster.this) {
            return DeleteResponse.newBuilder().setHeader(header(id)).setDeleted(store.remove(r.getKey()) != null).build();
          }
        }, out);
      }

      @Override
      public void compareAndSet(CompareAndSetRequest r, StreamObserver<CompareAndSetResponse> out) {
        handle("cas", r.getSession(), r.getKey(), () -> {
          synchronized (FakeKvCluster.this) {
            String cur = store.get(r.getKey());
            boolean ok = r.getExpectAbsent() ? cur == null : r.getExpected().equals(cur);
            if (ok) {
              store.put(r.getKey(), r.getNewValue());
            }
            String now = store.get(r.getKey());
            CompareAndSetResponse.Builder b =
                CompareAndSetResponse.newBuilder().setHeader(header(id)).setSucceeded(ok).setFound(now != null);
            if (now != null) {
              b.setCurrent(now);
            }
            return b.build();
          }
        }, out);
      }
    }

    final class AdminService extends AdminGrpc.AdminImplBase {
      @Override
      public void getState(GetStateRequest r, StreamObserver<NodeState> out) {
        String l;
        synchronized (FakeKvCluster.this) {
          l = leader;
        }
        out.onNext(NodeState.newBuilder().setId(id).setRole(id.equals(l) ? "LEADER" : "FOLLOWER").setTerm(7)
            .setLeader(l == null ? "" : l).setCommitIndex(index).setLastApplied(index).setLastIndex(index).build());
        out.onCompleted();
      }

      @Override
      public void stepDown(ControlRequest r, StreamObserver<ControlResponse> out) {
        boolean wasLeader;
        synchronized (FakeKvCluster.this) {
          wasLeader = id.equals(leader);
          if (wasLeader) {
            leader = null;
          }
        }
        out.onNext(ControlResponse.newBuilder().setAccepted(wasLeader)
            .setMessage(wasLeader ? "stepped down" : "not the leader").build());
        out.onCompleted();
      }
    }
  }
}
