package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftlab.api.admin.AdminGrpc;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv and cluster-status commands against a one-node stand-in server on a real port (the real
 * server's end-to-end tests live with the server). Keys named "unknown" make the stand-in answer
 * DEADLINE_EXCEEDED with outcome unknown, as the server does when a write is not committed in time.
 */
class KvCommandTest {

  private Server server;
  private String address;
  private final Map<String, String> store = new ConcurrentHashMap<>();
  private String out;
  private String err;

  @BeforeEach
  void startStandIn() throws IOException {
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new StandInKv())
        .addService(new StandInAdmin())
        .build()
        .start();
    address = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private int run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      return RaftlabCommand.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      out = o.toString(StandardCharsets.UTF_8);
      err = e.toString(StandardCharsets.UTF_8);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void putThenGetPrintsTheValueAndExitsZero() {
    assertThat(run("kv", "put", "--endpoints", address, "k", "v1")).isZero();
    assertThat(out).contains("OK: k = \"v1\" (previous: absent)");
    assertThat(run("kv", "put", "--endpoints", address, "k", "v2")).isZero();
    assertThat(out).contains("previous: \"v1\"");
    assertThat(run("kv", "get", "--endpoints", address, "k")).isZero();
    assertThat(out).isEqualTo("v2" + System.lineSeparator());
  }

  @Test
  void getOfAMissingKeyExitsOne() {
    assertThat(run("kv", "get", "--endpoints", address, "nope")).isEqualTo(1);
    assertThat(err).contains("not found: nope");
  }

  @Test
  void casExitsOneWhenTheComparisonFailsAndDashMeansAbsent() {
    assertThat(run("kv", "cas", "--endpoints", address, "c", "-", "a")).isZero();
    assertThat(run("kv", "cas", "--endpoints", address, "--absent", "c", "b")).isEqualTo(1);
    assertThat(out).contains("cas failed: c is \"a\", expected absent");
    assertThat(run("kv", "cas", "--endpoints", address, "c", "a", "b")).isZero();
    assertThat(store).containsEntry("c", "b");
    assertThat(run("kv", "cas", "--endpoints", address, "--absent", "c", "x", "y")).isEqualTo(2);
    assertThat(err).contains("--absent takes KEY NEW");
  }

  @Test
  void deleteReportsWhetherTheKeyExisted() {
    store.put("d", "1");
    assertThat(run("kv", "del", "--endpoints", address, "d")).isZero();
    assertThat(out).contains("OK: deleted d");
    assertThat(run("kv", "del", "--endpoints", address, "d")).isZero();
    assertThat(out).contains("did not exist");
  }

  @Test
  void writeWithUnknownOutcomeExitsThree() {
    assertThat(run("kv", "put", "--endpoints", address, "--timeout", "300ms", "unknown", "v")).isEqualTo(3);
    assertThat(err).contains("outcome unknown");
  }

  @Test
  void writeToUnreachableNodesExitsTwoAndSaysNotApplied() throws IOException {
    assertThat(run("kv", "put", "--endpoints", "127.0.0.1:" + closedPort(), "--timeout", "300ms", "k", "v")).isEqualTo(2);
    assertThat(err).contains("NOT applied");
  }

  @Test
  void malformedEndpointOrTimeoutExitsTwoNamingTheOption() {
    assertThat(run("kv", "get", "--endpoints", "localhost", "k")).isEqualTo(2);
    assertThat(err).contains("--endpoints").contains("host:port");
    assertThat(run("kv", "get", "--endpoints", address, "--timeout", "soon", "k")).isEqualTo(2);
    assertThat(err).contains("--timeout").contains("500ms");
  }

  @Test
  void endpointsDefaultToTheClusterFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("cluster.json"),
        "{\"nodes\":[{\"id\":\"n1\",\"clientAddress\":\"" + address + "\",\"adminAddress\":\"" + address
            + "\",\"pid\":1,\"dataDir\":\"x\"}]}");
    assertThat(run("kv", "put", "--cluster-dir", dir.toString(), "f", "1")).isZero();
    assertThat(store).containsEntry("f", "1");
  }

  @Test
  void missingOrMalformedClusterFileIsReportedWithItsPathAndLine(@TempDir Path dir) throws IOException {
    assertThat(run("kv", "get", "--cluster-dir", dir.toString(), "k")).isEqualTo(2);
    assertThat(err).contains("no cluster file").contains("cluster.json").contains("--endpoints");
    Files.writeString(dir.resolve("cluster.json"), "{\"nodes\":[\n{\"id\": }]}");
    assertThat(run("kv", "get", "--cluster-dir", dir.toString(), "k")).isEqualTo(2);
    assertThat(err).contains("not valid JSON at line 2");
    Files.writeString(dir.resolve("cluster.json"), "{\"nodes\":[{\"id\":\"n1\"}]}");
    assertThat(run("kv", "get", "--cluster-dir", dir.toString(), "k")).isEqualTo(2);
    assertThat(err).contains("nodes[0] has no \"clientAddress\"");
  }

  @Test
  void clusterStatusShowsAnsweringAndUnreachableNodes() throws IOException {
    String dead = "127.0.0.1:" + closedPort();
    assertThat(run("cluster", "status", "--endpoints", address + "," + dead, "--timeout", "1s")).isEqualTo(1);
    assertThat(out).contains("NODE").contains("LAST INDEX");
    assertThat(out).containsPattern("n1\\s+" + address.replace(".", "\\.") + "\\s+LEADER\\s+4\\s+n1\\s+9\\s+8\\s+10");
    assertThat(out).containsPattern(dead.replace(".", "\\.") + "\\s+unreachable \\(UNAVAILABLE\\)");
    assertThat(run("cluster", "status", "--endpoints", dead, "--timeout", "1s")).isEqualTo(2);
  }

  // ---- the stand-in --------------------------------------------------------------------------

  private static ResponseHeader header() {
    return ResponseHeader.newBuilder().setNodeId("n1").setTerm(4).setIndex(9).setLeaderId("n1").build();
  }

  private final class StandInKv extends KeyValueGrpc.KeyValueImplBase {
    @Override
    public void get(GetRequest r, StreamObserver<GetResponse> o) {
      String v = store.get(r.getKey());
      GetResponse.Builder b = GetResponse.newBuilder().setHeader(header()).setFound(v != null);
      if (v != null) {
        b.setValue(v);
      }
      o.onNext(b.build());
      o.onCompleted();
    }

    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> o) {
      if (r.getKey().equals("unknown")) {
        Metadata t = new Metadata();
        t.put(Metadata.Key.of("raftlab-outcome", Metadata.ASCII_STRING_MARSHALLER), "unknown");
        o.onError(Status.DEADLINE_EXCEEDED.withDescription("not committed in time").asRuntimeException(t));
        return;
      }
      String prev = store.put(r.getKey(), r.getValue());
      PutResponse.Builder b = PutResponse.newBuilder().setHeader(header()).setHadPrevious(prev != null);
      if (prev != null) {
        b.setPrevious(prev);
      }
      o.onNext(b.build());
      o.onCompleted();
    }

    @Override
    public void delete(DeleteRequest r, StreamObserver<DeleteResponse> o) {
      o.onNext(DeleteResponse.newBuilder().setHeader(header()).setDeleted(store.remove(r.getKey()) != null).build());
      o.onCompleted();
    }

    @Override
    public void compareAndSet(CompareAndSetRequest r, StreamObserver<CompareAndSetResponse> o) {
      boolean ok;
      synchronized (store) {
        String cur = store.get(r.getKey());
        ok = r.getExpectAbsent() ? cur == null : r.getExpected().equals(cur);
        if (ok) {
          store.put(r.getKey(), r.getNewValue());
        }
      }
      String now = store.get(r.getKey());
      CompareAndSetResponse.Builder b =
          CompareAndSetResponse.newBuilder().setHeader(header()).setSucceeded(ok).setFound(now != null);
      if (now != null) {
        b.setCurrent(now);
      }
      o.onNext(b.build());
      o.onCompleted();
    }
  }

  private static final class StandInAdmin extends AdminGrpc.AdminImplBase {
    @Override
    public void getState(GetStateRequest r, StreamObserver<NodeState> o) {
      o.onNext(NodeState.newBuilder().setId("n1").setRole("LEADER").setTerm(4).setLeader("n1")
          .setCommitIndex(9).setLastApplied(8).setLastIndex(10).build());
      o.onCompleted();
    }
  }
}
