package io.raftlab.client;

import static io.raftlab.client.FakeKvCluster.Fault.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RaftlabClientTest {

  final FakeKvCluster cluster = new FakeKvCluster();
  private final List<RaftlabClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    clients.forEach(RaftlabClient::close);
    cluster.close();
  }

  /** Options every test starts from; {@link RaftlabClientOverStreamsTest} sends the same calls over Batch streams. */
  ClientOptions.Builder fastOptions() {
    return ClientOptions.builder()
        .callTimeout(Duration.ofSeconds(2))
        .totalDeadline(Duration.ofSeconds(10))
        .maxAttempts(8)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .channelFactory(FakeKvCluster.inProcessChannels());
  }

  RaftlabClient client(ClientOptions options, String... ids) {
    List<EndpointAddress> endpoints = new ArrayList<>();
    for (String id : ids) {
      endpoints.add(cluster.endpoint(id));
    }
    RaftlabClient c = RaftlabClient.connect(endpoints, options);
    clients.add(c);
    return c;
  }

  private List<Long> sequencesReceived() {
    return cluster.received().stream().filter(r -> r.clientId() != null).map(FakeKvCluster.Received::sequence).toList();
  }

  // ---- routing ------------------------------------------------------------------------------

  @Test
  void notLeaderRedirectIsFollowedEvenToAnAddressMissingFromTheEndpointList() throws Exception {
    cluster.start("n1", "n2", "n3").setLeader("n3");
    RaftlabClient c = client(fastOptions().build(), "n1", "n2");

    PutResult r = c.put("k", "v");

    assertThat(r.info().endpoint()).isEqualTo(cluster.endpoint("n3"));
    assertThat(r.info().nodeId()).isEqualTo("n3");
    assertThat(r.info().attempts()).isEqualTo(2);
    assertThat(c.knownEndpoints()).contains(cluster.endpoint("n3"));
    assertThat(cluster.store()).containsEntry("k", "v");
  }

  @Test
  void cachedLeaderIsTriedFirstOnTheNextCall() throws Exception {
    cluster.start("n1", "n2", "n3").setLeader("n2");
    RaftlabClient c = client(fastOptions().build(), "n1", "n2", "n3");
    c.put("a", "1");
    long n1Before = cluster.receivedBy("n1");

    GetResult g = c.get("a");

    assertThat(g.value()).contains("1");
    assertThat(g.info().attempts()).isEqualTo(1);
    assertThat(cluster.receivedBy("n1")).isEqualTo(n1Before);
    assertThat(c.cachedLeader()).contains(cluster.endpoint("n2"));
  }

  @Test
  void unreachableEndpointIsSkippedForTheNextOneInOrder() throws Exception {
    cluster.start("n2").setLeader("n2");
    RaftlabClient c = client(fastOptions().build(), "n1", "n2"); // n1 has no server at all

    PutResult r = c.put("k", "v");

    assertThat(r.info().endpoint()).isEqualTo(cluster.endpoint("n2"));
    assertThat(r.info().attempts()).isEqualTo(2);
  }

  @Test
  void withRedirectsOffTheHintIsIgnoredAndEndpointsAreTriedInOrder() throws Exception {
    cluster.start("n1", "n2", "n3").setLeader("n3");
    RaftlabClient c = client(fastOptions().followRedirects(false).build(), "n1", "n2", "n3");

    PutResult r = c.put("k", "v");

    assertThat(cluster.received()).extracting(FakeKvCluster.Received::node).containsExactly("n1", "n2", "n3");
    assertThat(r.info().attempts()).isEqualTo(3);
  }

  @Test
  void forNodeSendsExactlyOneRequestToThatNodeAndReportsTheLeaderHint() throws Exception {
    cluster.start("n1", "n2").setLeader("n2");
    RaftlabClient c = RaftlabClient.forNode(cluster.endpoint("n1"), fastOptions().build());
    clients.add(c);

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(e.reason()).isEqualTo(KvException.Reason.ATTEMPTS_EXHAUSTED);
    assertThat(e.lastAttempt().orElseThrow().kind()).isEqualTo(Attempt.Kind.NOT_LEADER);
    assertThat(e.lastAttempt().orElseThrow().leaderHint()).isEqualTo(cluster.endpoint("n2"));
    assertThat(e.lastAttempt().orElseThrow().leaderIdHint()).isEqualTo("n2");
    assertThat(cluster.received()).extracting(FakeKvCluster.Received::node).containsExactly("n1");
  }

  // ---- sessions and retries -----------------------------------------------------------------

  @Test
  void retryAfterClientTimeoutReusesTheSequenceAndGetsTheOriginalAnswer() throws Exception {
    cluster.start("n1", "n2", "n3").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions().callTimeout(Duration.ofMillis(300)).build(), "n1", "n2", "n3");

    PutResult r = c.put("k", "v1");

    // The first attempt applied; the retry must not apply again (it would report previous = v1).
    assertThat(r.previous()).isEmpty();
    assertThat(sequencesReceived()).hasSizeGreaterThanOrEqualTo(2).containsOnly(1L);
    assertThat(r.info().sequence()).isEqualTo(1);
  }

  @Test
  void retryAfterServerDeadlineExceededReusesTheSequence() throws Exception {
    cluster.start("n1", "n2").setLeader("n1");
    cluster.script("n1", APPLY_THEN_SERVER_DEADLINE);
    RaftlabClient c = client(fastOptions().build(), "n1", "n2");
    c.put("k", "old");

    DeleteResult d = c.delete("k"); // not scripted: the fault is consumed by the first put
    assertThat(d.deleted()).isTrue();
    assertThat(sequencesReceived()).startsWith(1L, 1L).endsWith(2L);
  }

  @Test
  void sequenceGrowsByOnePerWriteCallNotPerRetry() throws Exception {
    cluster.start("n1", "n2").setLeader("n2");
    RaftlabClient c = client(fastOptions().build(), "n1", "n2");
    cluster.script("n2", NO_LEADER);

    c.put("a", "1");          // n1 NOT_LEADER, n2 NO_LEADER, then n2 ... : several RPCs, one sequence
    c.compareAndSet("a", "1", "2");
    c.delete("a");

    assertThat(sequencesReceived()).isSorted().containsOnly(1L, 2L, 3L);
    assertThat(sequencesReceived().stream().filter(s -> s == 1L).count()).isGreaterThan(1);
    assertThat(c.lastSequence()).isEqualTo(3);
  }

  @Test
  void writesFromManyThreadsAreSerializedAndGetDistinctSequences() throws Exception {
    cluster.start("n1").setLeader("n1");
    RaftlabClient c = client(fastOptions().build(), "n1");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PutResult>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String v = "v" + i;
        fs.add(pool.submit(() -> c.put("k" + (v.hashCode() % 3), v)));
      }
      for (Future<PutResult> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cluster.maxInFlightPerSession()).isEqualTo(1);
    assertThat(sequencesReceived()).hasSize(40).doesNotHaveDuplicates();
    assertThat(c.lastSequence()).isEqualTo(40);
  }

  @Test
  void sessionExpiredIsUnknownAndLaterWritesUseANewSession() throws Exception {
    cluster.start("n1").setLeader("n1");
    RaftlabClient c = client(fastOptions().clientId("first").build(), "n1");
    c.put("a", "1");
    cluster.script("n1", SESSION_EXPIRED);

    KvException e = catchThrowableOfType(() -> c.put("a", "2"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    assertThat(e.reason()).isEqualTo(KvException.Reason.SESSION_EXPIRED);
    assertThat(e.attempts()).hasSize(1);
    assertThat(e.clientId()).isEqualTo("first");
    assertThat(e.sequence()).isEqualTo(2);
    PutResult next = c.put("a", "3");
    assertThat(next.info().clientId()).isNotEqualTo("first");
    assertThat(next.info().sequence()).isEqualTo(1);
  }

  // ---- outcome classification ---------------------------------------------------------------

  @Test
  void writeIsDefinitelyNotAppliedWhenEveryAttemptWasRefusedBeforeProposing() throws Exception {
    cluster.start("n2", "n3"); // no leader anywhere: NO_LEADER; n1 has no server: never sent
    RaftlabClient c = client(fastOptions().maxAttempts(6).build(), "n1", "n2", "n3");

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(e.reason()).isEqualTo(KvException.Reason.ATTEMPTS_EXHAUSTED);
    assertThat(e.attempts()).hasSize(6).noneMatch(Attempt::mayHaveBeenApplied);
    assertThat(e.attempts()).filteredOn(a -> a.endpoint().equals(cluster.endpoint("n1")))
        .isNotEmpty().allMatch(a -> !a.requestLeftClient() && a.code() == Status.Code.UNAVAILABLE);
    assertThat(e.attempts()).filteredOn(a -> !a.endpoint().equals(cluster.endpoint("n1")))
        .isNotEmpty().allMatch(a -> a.kind() == Attempt.Kind.REFUSED);
  }

  @Test
  void writeIsUnknownWhenAnAttemptTimedOutAfterSendingEvenIfLaterOnesWereRefused() throws Exception {
    cluster.start("n1", "n2").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions().callTimeout(Duration.ofMillis(300)).maxAttempts(4).build(), "n1", "n2");
    cluster.setLeader(null); // from now on both nodes refuse with NO_LEADER

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    assertThat(e.attempts().get(0).kind()).isEqualTo(Attempt.Kind.TIMEOUT);
    assertThat(e.attempts().get(0).mayHaveBeenApplied()).isTrue();
    assertThat(e.attempts().subList(1, 4)).allMatch(a -> !a.mayHaveBeenApplied());
    assertThat(cluster.store()).containsEntry("k", "v"); // it was in fact applied
  }

  @Test
  void writeIsUnknownWhenTheConnectionIsLostAfterSending() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_CRASH);
    RaftlabClient c = client(fastOptions().maxAttempts(3).build(), "n1");

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    assertThat(e.attempts().get(0).requestLeftClient()).isTrue();
    assertThat(e.attempts().get(0).mayHaveBeenApplied()).isTrue();
    // Later attempts find no server and never leave the client, but cannot undo the first.
    assertThat(e.attempts().subList(1, e.attempts().size())).allMatch(a -> !a.requestLeftClient());
  }

  @Test
  void notLeaderWithoutAnOutcomeTrailerIsStillNotApplied() throws Exception {
    cluster.start("n1", "n2").setLeader("n2");
    cluster.script("n1", NOT_LEADER_WITHOUT_OUTCOME);
    RaftlabClient c = client(fastOptions().maxAttempts(1).build(), "n1");

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(e.lastAttempt().orElseThrow().leaderHint()).isEqualTo(cluster.endpoint("n2"));
  }

  @Test
  void forwardedWriteWhoseAnswerWasLostIsMaybeAppliedAndTheNamedLeaderIsTriedNext() throws Exception {
    cluster.start("n1", "n2").setLeader("n2");
    cluster.script("n1", FORWARDED_ANSWER_LOST, FORWARDED_ANSWER_LOST);
    RaftlabClient once = client(fastOptions().maxAttempts(1).build(), "n1");
    RaftlabClient twice = client(fastOptions().maxAttempts(2).build(), "n1");

    KvException e = catchThrowableOfType(() -> once.put("k", "v"), KvException.class);
    PutResult r = twice.put("k", "w");

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    assertThat(e.lastAttempt().orElseThrow().kind()).isEqualTo(Attempt.Kind.UNAVAILABLE);
    assertThat(r.info().endpoint()).isEqualTo(cluster.endpoint("n2"));
  }

  @Test
  void unavailableWithoutAServerVerdictCountsAsMaybeAppliedOnceSent() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", UNAVAILABLE);
    RaftlabClient c = client(fastOptions().maxAttempts(1).build(), "n1");

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    assertThat(e.lastAttempt().orElseThrow().kind()).isEqualTo(Attempt.Kind.UNAVAILABLE);
  }

  @Test
  void invalidArgumentIsNotRetriedAndIsDefinitelyNotApplied() throws Exception {
    cluster.start("n1", "n2").setLeader("n1");
    cluster.script("n1", INVALID_ARGUMENT);
    RaftlabClient c = client(fastOptions().build(), "n1", "n2");

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(e.reason()).isEqualTo(KvException.Reason.INVALID_ARGUMENT);
    assertThat(cluster.received()).hasSize(1);
  }

  @Test
  void invalidArgumentAfterAMaybeAppliedAttemptIsUnknown() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_SERVER_DEADLINE, INVALID_ARGUMENT);
    RaftlabClient c = client(fastOptions().build(), "n1");

    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);

    assertThat(e.reason()).isEqualTo(KvException.Reason.INVALID_ARGUMENT);
    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
  }

  @Test
  void failedReadIsAlwaysDefinitelyNotApplied() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG, APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions().callTimeout(Duration.ofMillis(300)).maxAttempts(2).build(), "n1");

    KvException e = catchThrowableOfType(() -> c.get("k"), KvException.class);

    assertThat(e.attempts()).hasSize(2).allMatch(a -> a.kind() == Attempt.Kind.TIMEOUT && a.requestLeftClient());
    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(e.isWrite()).isFalse();
  }

  // ---- bounds -------------------------------------------------------------------------------

  @Test
  void backoffNeverExtendsACallPastTheTotalDeadline() throws Exception {
    cluster.start("n1", "n2"); // no leader: every attempt is refused quickly
    RaftlabClient c = client(fastOptions()
        .totalDeadline(Duration.ofMillis(400))
        .maxAttempts(1000)
        .backoff(Duration.ofMillis(50), Duration.ofSeconds(30))
        .build(), "n1", "n2");

    long start = System.nanoTime();
    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(e.reason()).isEqualTo(KvException.Reason.DEADLINE_EXHAUSTED);
    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(elapsedMillis).isLessThan(1500); // far below the 30 s backoff cap
    assertThat(e.attempts().size()).isBetween(2, 6); // 50, 100, 200 ms pauses fit; 400 does not
  }

  @Test
  void perCallTimeoutIsCappedByWhatRemainsOfTheTotalDeadline() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions()
        .callTimeout(Duration.ofSeconds(10))
        .totalDeadline(Duration.ofMillis(300))
        .build(), "n1");

    long start = System.nanoTime();
    KvException e = catchThrowableOfType(() -> c.put("k", "v"), KvException.class);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMillis).isLessThan(2000); // far below the 10 s call timeout
    assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
  }

  @Test
  void writeInterruptedWhileWaitingForTheWriteSlotIsNotAppliedAndNeverSent() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions().callTimeout(Duration.ofSeconds(10)).totalDeadline(Duration.ofSeconds(2)).build(), "n1");
    Thread first = new Thread(() -> {
      try {
        c.put("a", "1");
      } catch (KvException expected) {
        // hangs until its own deadline
      }
    });
    first.start();
    while (cluster.received().isEmpty()) {
      Thread.sleep(1);
    }
    KvException[] caught = new KvException[1];
    Thread second = new Thread(() -> {
      try {
        c.put("b", "2");
      } catch (KvException e) {
        caught[0] = e;
      }
    });
    second.start();
    Thread.sleep(50); // let it queue behind the first write
    second.interrupt();
    second.join(5000);
    first.join();

    KvException e = caught[0];
    assertThat(e.reason()).isEqualTo(KvException.Reason.INTERRUPTED);
    assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
    assertThat(e.attempts()).isEmpty();
    assertThat(e.isWrite()).isTrue();
    assertThat(cluster.received()).extracting(FakeKvCluster.Received::key).containsOnly("a");
  }

  @Test
  void interruptedWriteAfterSendingIsUnknownAndKeepsTheInterruptFlag() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions().callTimeout(Duration.ofSeconds(10)).totalDeadline(Duration.ofSeconds(10)).build(), "n1");
    KvException[] caught = new KvException[1];
    boolean[] flag = new boolean[1];
    Thread writer = new Thread(() -> {
      try {
        c.put("a", "1");
      } catch (KvException e) {
        caught[0] = e;
        flag[0] = Thread.currentThread().isInterrupted();
      }
    });
    writer.start();
    while (cluster.received().isEmpty()) {
      Thread.sleep(1);
    }
    writer.interrupt();
    writer.join(5000);

    assertThat(caught[0].reason()).isEqualTo(KvException.Reason.INTERRUPTED);
    assertThat(caught[0].outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    assertThat(flag[0]).isTrue();
  }

  // ---- results and input --------------------------------------------------------------------

  @Test
  void compareAndSetWithNullExpectedSucceedsOnlyWhenTheKeyIsAbsent() throws Exception {
    cluster.start("n1").setLeader("n1");
    RaftlabClient c = client(fastOptions().build(), "n1");

    CompareAndSetResult first = c.compareAndSet("k", null, "a");
    CompareAndSetResult second = c.compareAndSet("k", null, "b");
    CompareAndSetResult wrong = c.compareAndSet("k", "x", "c");
    CompareAndSetResult right = c.compareAndSet("k", "a", "d");

    assertThat(first.succeeded()).isTrue();
    assertThat(second.succeeded()).isFalse();
    assertThat(second.current()).contains("a");
    assertThat(wrong.succeeded()).isFalse();
    assertThat(right.succeeded()).isTrue();
    assertThat(c.get("k").value()).contains("d");
    assertThat(c.put("k", "e").previous()).contains("d");
    assertThat(c.put("k", "f", false).previous()).as("not asked for").isEmpty();
    assertThat(c.get("k").value()).contains("f");
    assertThat(c.delete("k").deleted()).isTrue();
    assertThat(c.delete("k").deleted()).isFalse();
    assertThat(c.get("k").found()).isFalse();
  }

  // ---- calls that return a future -----------------------------------------------------------

  @Test
  void asyncCallsFollowRedirectsAndRetryWithOneSequenceLikeBlockingOnes() throws Exception {
    cluster.start("n1", "n2", "n3").setLeader("n3");
    cluster.script("n3", NO_LEADER, NO_LEADER);
    RaftlabClient c = client(fastOptions().build(), "n1", "n2");

    PutResult put = c.putAsync("k", "v", true).get(10, TimeUnit.SECONDS);
    GetResult get = c.getAsync("k").get(10, TimeUnit.SECONDS);

    assertThat(put.info().endpoint()).isEqualTo(cluster.endpoint("n3"));
    assertThat(put.info().attempts()).as("NOT_LEADER from n1, refused twice by n3, then ok").isGreaterThanOrEqualTo(4);
    assertThat(sequencesReceived()).hasSize(put.info().attempts()).containsOnly(1L);
    assertThat(get.value()).contains("v");
    assertThat(c.putAsync("k", "w", true).get(10, TimeUnit.SECONDS).previous()).contains("v");
    assertThat(c.lastSequence()).isEqualTo(2);
  }

  @Test
  void asyncWriteThatTimedOutAfterSendingIsUnknownAndASecondWriteMeanwhileIsRefusedUnsent() throws Exception {
    cluster.start("n1").setLeader("n1");
    cluster.script("n1", APPLY_THEN_HANG);
    RaftlabClient c = client(fastOptions().callTimeout(Duration.ofMillis(300)).maxAttempts(1).build(), "n1");

    CompletableFuture<PutResult> first = c.putAsync("k", "v1", false);
    ExecutionException busy = catchThrowableOfType(() -> c.putAsync("k", "v2", false).get(5, TimeUnit.SECONDS), ExecutionException.class);
    ExecutionException lost = catchThrowableOfType(() -> first.get(5, TimeUnit.SECONDS), ExecutionException.class);

    assertThat(busy.getCause()).isInstanceOfSatisfying(KvException.class, e -> {
      assertThat(e.outcome()).isEqualTo(KvException.Outcome.DEFINITELY_NOT_APPLIED);
      assertThat(e.attempts()).isEmpty();
    });
    assertThat(lost.getCause()).isInstanceOfSatisfying(KvException.class, e -> {
      assertThat(e.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
      assertThat(e.lastAttempt()).hasValueSatisfying(a -> assertThat(a.kind()).isEqualTo(Attempt.Kind.TIMEOUT));
    });
    assertThat(cluster.store()).containsEntry("k", "v1");
    // The slot is free again once the first write has ended.
    assertThat(c.putAsync("k", "v3", false).get(5, TimeUnit.SECONDS).info().sequence()).isEqualTo(2);
  }

  @Test
  void closedClientRefusesCalls() throws Exception {
    cluster.start("n1").setLeader("n1");
    RaftlabClient c = client(fastOptions().build(), "n1");
    c.close();
    assertThatThrownBy(() -> c.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
