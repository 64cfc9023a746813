package io.raftlab.server.service;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.admin.AdminGrpc;
import io.raftlab.api.admin.ControlRequest;
import io.raftlab.api.admin.ControlResponse;
import io.raftlab.api.admin.GetLogRequest;
import io.raftlab.api.admin.GetLogResponse;
import io.raftlab.api.admin.GetStateRequest;
import io.raftlab.api.admin.LogEntry;
import io.raftlab.api.admin.Member;
import io.raftlab.api.admin.NodeState;
import io.raftlab.api.admin.PeerProgress;
import io.raftlab.api.admin.TransferLeadershipRequest;
import io.raftlab.core.Entry;
import io.raftlab.core.NodeStatus;
import io.raftlab.server.config.ServerConfig;
import io.raftlab.server.loop.RaftLoop;
import io.raftlab.server.transport.PortsFile;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Inspection (state, log, log hashes) and control (campaign, transfer, step down) of this node. */
public final class AdminService extends AdminGrpc.AdminImplBase {

  /** GetLog returns at most this many entries per call; hashes cover any range. */
  static final int MAX_ENTRIES_PER_CALL = 10_000;

  private final ServerConfig config;
  private final RaftLoop loop;
  private final LeaderDirectory leaders;
  private final long startedMillis = System.currentTimeMillis();

  public AdminService(ServerConfig config, RaftLoop loop, LeaderDirectory leaders) {
    this.config = config;
    this.loop = loop;
    this.leaders = leaders;
  }

  @Override
  public void getState(GetStateRequest req, StreamObserver<NodeState> obs) {
    reply(loop.query(n -> n.status()), obs, s -> {
      NodeState.Builder b = NodeState.newBuilder()
          .setId(s.id()).setRole(s.role().name()).setTerm(s.term()).setVote(nz(s.vote())).setLeader(nz(s.leader()))
          .setCommitIndex(s.commit()).setLastApplied(loop.appliedIndex()).setFirstIndex(s.firstIndex())
          .setLastIndex(s.lastIndex()).setLastTerm(s.lastTerm()).setStableIndex(s.stableIndex())
          .setUptimeMillis(System.currentTimeMillis() - startedMillis)
          .setRoleSinceUnixMicros(loop.roleSinceMicros())
          .putAllConfiguration(config.describe());
      String leaderAddress = leaders.clientAddress(s.leader());
      if (leaderAddress != null) {
        b.setLeaderClientAddress(leaderAddress);
      }
      for (var e : s.progress().entrySet()) {
        NodeStatus.PeerProgress p = e.getValue();
        b.addProgress(PeerProgress.newBuilder().setId(e.getKey()).setMatchIndex(p.match()).setNextIndex(p.next())
            .setState(p.state()).setInflight(p.inflight()).setRecentActive(p.recentActive()));
      }
      for (var m : config.members()) {
        b.addMembers(Member.newBuilder().setId(m.id())
            .setPeerAddress(nz(PortsFile.resolve(m.peerAddress(), "peer")))
            .setClientAddress(nz(PortsFile.resolve(m.clientAddress(), "client"))));
      }
      return b.build();
    });
  }

  @Override
  public void getLog(GetLogRequest req, StreamObserver<GetLogResponse> obs) {
    reply(loop.query(n -> {
      long from = req.getFromIndex() == 0 ? 1 : req.getFromIndex();
      long to = req.getToIndex() == 0 ? n.lastIndex() + 1 : req.getToIndex();
      return new Object[] {from, to, n.entries(from, to)};
    }), obs, r -> {
      long from = (Long) r[0];
      long to = (Long) r[1];
      @SuppressWarnings("unchecked")
      List<Entry> entries = (List<Entry>) r[2];
      GetLogResponse.Builder b = GetLogResponse.newBuilder().setFromIndex(from).setToIndex(to).setHash(ByteString.copyFrom(hash(entries)));
      if (!req.getHashOnly()) {
        if (entries.size() > MAX_ENTRIES_PER_CALL) {
          throw Status.INVALID_ARGUMENT.withDescription("range holds " + entries.size() + " entries; ask for at most "
              + MAX_ENTRIES_PER_CALL + " per call, or hash_only").asRuntimeException();
        }
        for (Entry e : entries) {
          b.addEntries(LogEntry.newBuilder().setIndex(e.index()).setTerm(e.term()).setType(e.type().name()).setData(ByteString.copyFrom(e.data())));
        }
      }
      return b.build();
    });
  }

  @Override
  public void campaign(ControlRequest req, StreamObserver<ControlResponse> obs) {
    reply(loop.query(n -> {
      n.campaign();
      return ControlResponse.newBuilder().setAccepted(true).setMessage("election started on " + n.id()).build();
    }), obs, r -> r);
  }

  @Override
  public void transferLeadership(TransferLeadershipRequest req, StreamObserver<ControlResponse> obs) {
    if (config.member(req.getTo()) == null) {
      obs.onError(Trailers.invalid("to: '" + req.getTo() + "' is not a member"));
      return;
    }
    reply(loop.query(n -> {
      boolean ok = n.transferLeadership(req.getTo());
      return ControlResponse.newBuilder().setAccepted(ok).setLeader(nz(n.leader()))
          .setMessage(ok ? "transferring leadership to " + req.getTo() : "not the leader").build();
    }), obs, r -> r);
  }

  @Override
  public void stepDown(ControlRequest req, StreamObserver<ControlResponse> obs) {
    reply(loop.query(n -> {
      boolean wasLeader = n.role() == io.raftlab.core.Role.LEADER;
      n.stepDown();
      return ControlResponse.newBuilder().setAccepted(wasLeader).setMessage(wasLeader ? "stepped down" : "not the leader").build();
    }), obs, r -> r);
  }

  /** SHA-256 over (index, term, type, data) of each entry: equal logs, equal hashes. */
  static byte[] hash(List<Entry> entries) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(20);
      for (Entry e : entries) {
        buf.clear();
        buf.putLong(e.index()).putLong(e.term()).putInt(e.type().ordinal());
        md.update(buf.array(), 0, buf.position());
        md.update(e.data());
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Answers with {@code map} of the loop's result, off the loop thread: building an answer (GetState
   * reads every member's ports file) took the Raft loop's time while a harness polled the state of
   * every node during an election.
   */
  private <T, R> void reply(CompletableFuture<T> f, StreamObserver<R> obs, java.util.function.Function<T, R> map) {
    f.orTimeout(5, TimeUnit.SECONDS).whenCompleteAsync((v, err) -> {
      try {
        if (err != null) {
          obs.onError(Status.UNAVAILABLE.withDescription("node did not answer: " + err).asRuntimeException());
        } else {
          obs.onNext(map.apply(v));
          obs.onCompleted();
        }
      } catch (io.grpc.StatusRuntimeException e) {
        obs.onError(e);
      } catch (RuntimeException e) {
        // the caller went away
      }
    });
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
