package io.raftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every routing, retry, session and outcome rule of {@link RaftlabClientTest}, again with the calls
 * travelling as items of Batch streams (shared by the test's clients), plus what only streams do.
 */
class RaftlabClientOverStreamsTest extends RaftlabClientTest {

  private final KvStreams streams = new KvStreams(FakeKvCluster.inProcessChannels());

  @Override
  ClientOptions.Builder fastOptions() {
    return super.fastOptions().streams(streams);
  }

  @AfterEach
  void closeStreams() {
    streams.close();
  }

  @Test
  void concurrentClientsShareOneStreamPerNode() throws Exception {
    cluster.start("n1").setLeader("n1");
    List<Thread> writers = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int w = 0; w < 8; w++) {
      RaftlabClient c = client(fastOptions().build(), "n1");
      int writer = w;
      writers.add(new Thread(() -> {
        try {
          for (int i = 0; i < 25; i++) {
            c.put("w" + writer + "-" + i, "v" + i);
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join(30_000);
    }

    assertThat(failures).isEmpty();
    assertThat(cluster.store()).hasSize(200).containsEntry("w7-24", "v24");
    assertThat(cluster.batchStreamsOpened("n1")).isEqualTo(1);
  }

  @Test
  void aStreamThatFailedIsReplacedByTheNextCall() throws Exception {
    cluster.start("n1").setLeader("n1");
    RaftlabClient c = client(fastOptions().maxAttempts(2).build(), "n1");
    c.put("a", "1");
    cluster.script("n1", FakeKvCluster.Fault.APPLY_THEN_CRASH);

    KvException lost = catchThrowableOfType(() -> c.put("b", "2"), KvException.class);
    assertThat(lost.outcome()).isEqualTo(KvException.Outcome.UNKNOWN);
    cluster.restart("n1");
    c.put("c", "3");

    assertThat(cluster.store()).containsEntry("a", "1").containsEntry("b", "2").containsEntry("c", "3");
    assertThat(cluster.batchStreamsOpened("n1")).isEqualTo(2);
  }
}
