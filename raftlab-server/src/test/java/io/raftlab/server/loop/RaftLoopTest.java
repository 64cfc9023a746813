package io.raftlab.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftlab.api.command.Command;
import io.raftlab.api.command.Put;
import io.raftlab.core.Config;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import io.raftlab.core.RaftNode;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import io.raftlab.server.kv.KvStateMachine;
import io.raftlab.server.kv.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's threading on a one-node core with a recording sink (no disk, no network). */
class RaftLoopTest {

  /** Records what was made durable, and on which thread; optionally slow, like a loaded disk. */
  private static final class RecordingSink implements RaftLoop.ReadySink {
    final AtomicLong durableIndex = new AtomicLong();
    final ConcurrentLinkedQueue<String> persistThreads = new ConcurrentLinkedQueue<>();
    volatile long persistMillis;

    @Override
    public void persist(Ready ready) {
      persistThreads.add(Thread.currentThread().getName());
      try {
        Thread.sleep(persistMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!ready.entries().isEmpty()) {
        durableIndex.set(ready.entries().get(ready.entries().size() - 1).index());
      }
    }

    @Override
    public void send(Message message) {
      throw new AssertionError("a one-node cluster sends nothing, got " + message);
    }
  }

  private final RecordingSink sink = new RecordingSink();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private RaftLoop loop;

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
    assertThat(fatal.get()).isNull();
  }

  private void startLoop(long tickMillis) {
    RaftNode node = RaftNode.create(Config.builder("n1", List.of("n1")).electionTicks(10, 20).heartbeatTicks(1).build(),
        new SplittableRandom(1));
    loop = new RaftLoop(node, new KvStateMachine(600_000), sink, tickMillis, 10_000, fatal::set);
    loop.start();
  }

  private void startLeader() throws Exception {
    startLoop(10);
    loop.query(n -> {
      n.campaign();
      return null;
    }).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (loop.query(RaftNode::role).get(10, TimeUnit.SECONDS) != Role.LEADER) {
      assertThat(System.nanoTime()).as("one node elects itself").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static byte[] put(String client, long seq, String key) {
    return Command.newBuilder().setClientId(client).setSequence(seq).setProposedAtMillis(1)
        .setPut(Put.newBuilder().setKey(key).setValue("v" + seq)).build().toByteArray();
  }

  @Test
  void theLoopsOwnClockElectsALoneFollowerWithoutAnyInput() throws Exception {
    startLoop(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (loop.query(RaftNode::role).get(10, TimeUnit.SECONDS) != Role.LEADER) {
      assertThat(System.nanoTime()).as("ticks alone bring the election timeout").isLessThan(deadline);
      Thread.sleep(5);
    }
    assertThat(loop.ticks()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void aStalledLoopCatchesUpAtMostTwoElectionTimeoutsOfTicks() throws Exception {
    startLoop(1);
    // Stall the loop thread itself for 600 ticks, as a long GC pause or SIGSTOP would.
    long after = loop.query(n -> {
      try {
        Thread.sleep(600);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return loop.ticks();
    }).get(10, TimeUnit.SECONDS);
    // Events queued behind the stall run in the same iteration, before time is delivered again:
    // wait a little, then count what the next iterations delivered.
    long waitStart = System.nanoTime();
    Thread.sleep(30);
    long caughtUp = loop.ticks();
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStart);
    // electionTicksMax is 20: at most 40 of the ~600 missed ticks reach the core at once, then one
    // per ms of the wait (without the cap it would be about 630).
    assertThat(caughtUp - after).isBetween(1L, 40L + waitedMillis + 50L);
    assertThat(loop.skippedTicks()).isGreaterThanOrEqualTo(600 - 40 - 50);
  }

  /**
   * Time as the core sees it follows the order in which inputs arrived: a follower whose loop
   * thread was held up past its election timeout (here by a slow write; on a busy machine, by
   * waiting for a CPU) while its leader's heartbeat arrived in time, steps that heartbeat before
   * the ticks that came due after it, and stays a follower. Ticking everything first made it a
   * candidate and rejected the heartbeat.
   */
  @Test
  void aHeartbeatThatArrivedBeforeTheTimeoutIsSteppedBeforeTheTimerThatFiredMeanwhile() throws Exception {
    ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();
    CountDownLatch stalled = new CountDownLatch(1);
    AtomicBoolean stallNextWrite = new AtomicBoolean();
    RaftLoop.ReadySink slowOnce = new RaftLoop.ReadySink() {
      @Override
      public void persist(Ready ready) {
        if (stallNextWrite.compareAndSet(true, false)) {
          stalled.countDown();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(120));
        }
      }

      @Override
      public void send(Message m) {
        sent.add(m);
      }
    };
    // A fixed 100 ms timeout with 1 ms ticks; no pre-vote, so a timeout is a term of its own.
    RaftNode node = RaftNode.create(Config.builder("n1", List.of("n1", "n2", "n3")).electionTicks(100, 100).heartbeatTicks(10)
        .preVote(false).build(), new SplittableRandom(1));
    loop = new RaftLoop(node, new KvStateMachine(600_000), slowOnce, 1, 10_000, fatal::set);
    loop.start();
    Message heartbeat = Message.of(MessageType.HEARTBEAT, "n2", "n1", 1).build();
    // The first heartbeat (t0) starts the timer and makes a Ready (the new term), whose write
    // then holds the loop thread for 120 ms.
    stallNextWrite.set(true);
    loop.deliver(heartbeat);
    assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
    // At t0 + 50 ms, in time: the next heartbeat arrives while the loop is still held up.
    loop.deliver(heartbeat);
    CompletableFuture<Long> termAfter = loop.query(RaftNode::term);
    CompletableFuture<Role> roleAfter = loop.query(RaftNode::role);
    // The loop is free again at t0 + 120 ms, past the 100 ms timeout counted from t0, but only
    // 70 ms after the heartbeat that arrived at t0 + 50.
    assertThat(roleAfter.get(10, TimeUnit.SECONDS)).isEqualTo(Role.FOLLOWER);
    assertThat(termAfter.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    assertThat(loop.elections()).isZero();
    assertThat(sent).noneMatch(m -> m.type() == MessageType.VOTE);
  }

  @Test
  void anIdleLoopDoesTheReadyItselfWithoutWakingTheIoThread() throws Exception {
    startLeader();
    sink.persistThreads.clear();
    long inlineBefore = loop.readiesInline();

    WriteResult r = loop.propose(put("c", 1, "k")).get(10, TimeUnit.SECONDS);

    assertThat(sink.durableIndex.get()).isGreaterThanOrEqualTo(r.index());
    assertThat(loop.readiesInline()).isGreaterThan(inlineBefore);
    assertThat(sink.persistThreads).contains("raft-loop-n1");
  }

  @Test
  void underABurstEveryWriteIsDurableBeforeItIsAnsweredAndTheIoThreadTakesOver() throws Exception {
    startLeader();
    sink.persistMillis = 20; // while one Ready is on "disk", the next proposals queue up behind it
    List<CompletableFuture<Boolean>> answeredAfterDurable = new ArrayList<>();
    List<Thread> proposers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String client = "c" + t;
      Thread th = new Thread(() -> {
        for (int i = 1; i <= 50; i++) {
          CompletableFuture<Boolean> ok = loop.propose(put(client, i, client + "-" + i))
              .thenApply(w -> sink.durableIndex.get() >= w.index());
          synchronized (answeredAfterDurable) {
            answeredAfterDurable.add(ok);
          }
          try {
            Thread.sleep(1); // spread over several 20 ms "fsyncs"
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      proposers.add(th);
      th.start();
    }
    for (Thread th : proposers) {
      th.join();
    }

    for (CompletableFuture<Boolean> f : answeredAfterDurable) {
      assertThat(f.get(30, TimeUnit.SECONDS)).as("answered only once its entry was durable").isTrue();
    }
    assertThat(answeredAfterDurable).hasSize(200);
    assertThat(sink.persistThreads).as("busy loop hands Readies to the I/O thread").contains("raft-io-n1");
    assertThat(loop.readiesHandled()).isLessThan(200); // group commit: many proposals per Ready
  }

  /**
   * A leader of three whose disk hangs on the I/O thread keeps heartbeating: the followers must not
   * take a slow fsync for a dead leader. The two followers are only names; what is "sent" is recorded.
   */
  @Test
  void heartbeatsLeaveWhileAReadyIsStuckOnDisk() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean ioStuck = new AtomicBoolean();
    ConcurrentLinkedQueue<Message> sentWhileStuck = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();
    RaftLoop.ReadySink stuckDisk = new RaftLoop.ReadySink() {
      @Override
      public void persist(Ready ready) {
        if (Thread.currentThread().getName().startsWith("raft-io") && !ready.entries().isEmpty() && release.getCount() > 0) {
          ioStuck.set(true);
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ioStuck.set(false);
        }
      }

      @Override
      public void send(Message m) {
        sent.add(m);
        if (ioStuck.get()) {
          sentWhileStuck.add(m);
        }
      }
    };
    RaftNode node = RaftNode.create(Config.builder("n1", List.of("n1", "n2", "n3")).electionTicks(10, 20).heartbeatTicks(2)
        .checkQuorum(false).preVote(false).build(), new SplittableRandom(1));
    loop = new RaftLoop(node, new KvStateMachine(600_000), stuckDisk, 1, 10_000, fatal::set);
    loop.start();
    loop.query(n -> {
      n.campaign();
      return null;
    }).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.stream().noneMatch(m -> m.type() == MessageType.VOTE)) {
      assertThat(System.nanoTime()).as("vote requests go out").isLessThan(deadline);
      Thread.sleep(1);
    }
    long term = loop.query(RaftNode::term).get(10, TimeUnit.SECONDS);
    loop.deliver(Message.of(MessageType.VOTE_RESPONSE, "n2", "n1", term).build());
    while (loop.query(RaftNode::role).get(10, TimeUnit.SECONDS) != Role.LEADER) {
      assertThat(System.nanoTime()).as("n2's vote makes n1 leader").isLessThan(deadline);
      Thread.sleep(1);
    }

    // Keep the loop's queue busy so that a Ready goes to the I/O thread, whose write then hangs.
    Thread busy = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted() && !ioStuck.get()) {
        loop.query(n -> null);
        loop.propose(put("c", 1, "k"));
        LockSupport.parkNanos(200_000);
      }
    });
    busy.start();
    try {
      while (!ioStuck.get()) {
        assertThat(System.nanoTime()).as("a Ready reaches the I/O thread and its write hangs").isLessThan(deadline);
        Thread.sleep(1);
      }
      busy.join(1000);
      Thread.sleep(100); // 100 ticks: about 50 heartbeat rounds at 2 ticks each
      assertThat(sentWhileStuck).as("heartbeats sent while the write hangs")
          .filteredOn(m -> m.type() == MessageType.HEARTBEAT)
          .extracting(Message::to).contains("n2", "n3");
      assertThat(sentWhileStuck.stream().filter(m -> m.type() == MessageType.HEARTBEAT).count()).isGreaterThanOrEqualTo(10);
      assertThat(sentWhileStuck).as("nothing that needs the disk leaves early")
          .allSatisfy(m -> assertThat(m.type()).isEqualTo(MessageType.HEARTBEAT));
      assertThat(loop.heartbeatsAhead()).isGreaterThanOrEqualTo(10);
    } finally {
      busy.interrupt();
      release.countDown();
    }
  }
}
