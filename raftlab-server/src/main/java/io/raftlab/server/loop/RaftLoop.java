package io.raftlab.server.loop;

import io.raftlab.core.Entry;
import io.raftlab.core.HardState;
import io.raftlab.core.InvalidMessageException;
import io.raftlab.core.Message;
import io.raftlab.core.NodeStatus;
import io.raftlab.core.ProposeResult;
import io.raftlab.core.RaftNode;
import io.raftlab.core.ReadRequestResult;
import io.raftlab.core.ReadState;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import io.raftlab.core.SoftState;
import io.raftlab.server.kv.KvStateMachine;
import io.raftlab.server.kv.WriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heart: the {@link RaftNode} is driven by one thread at a time, and every input runs
 * through it in arrival order. Whichever thread brings an input (a network thread with a peer
 * message or a client request, usually) drives the node itself when no other thread is driving:
 * it steps the queued inputs and, when nothing else waits, does the resulting {@link Ready}'s I/O
 * too unless that has to wait for the disk, so a message is stepped and answered without waking
 * another thread. A thread that finds
 * another one driving only queues its input; the driver takes it before it lets go. A caller drives
 * for a few rounds at most, then leaves the rest to the loop thread, which otherwise only keeps
 * time.
 *
 * <p>A Ready's I/O follows the order the persistence contract requires: make its entries and hard
 * state durable, send its messages, apply its committed entries and answer the clients waiting on
 * them, then hand the Ready back for {@code advance}. At most one Ready is in flight. When inputs
 * are waiting, the I/O thread takes it, and the drivers keep stepping while it is on disk, so
 * everything that arrives meanwhile goes to disk together in the next one (group commit, one
 * fsync). Committed entries that an earlier Ready already made durable are applied before the
 * Ready's own fsync. Heartbeats and their responses do not wait for the Ready in flight
 * ({@link RaftNode#takeHeartbeats()}).
 *
 * <p>Time reaches the core as ticks counted by the clock, without a timer firing each tick: the loop
 * thread sleeps until the tick at which the core will act ({@link RaftNode#ticksUntilDue()}), and
 * every driver first delivers the ticks that came due. A follower that hears its leader regularly
 * thus wakes only for the leader's messages, not once per tick.
 */
public final class RaftLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
  private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int TICKS_PER_EXPIRY_CHECK = 50;
  /**
   * Rounds a caller's thread drives before it leaves what is still queued to the loop thread: a
   * network thread that drives is not reading its own connections meanwhile.
   */
  private static final int CALLER_ROUNDS = 2;

  /** Where a Ready's parts go; implemented by the server with real storage and transport. */
  public interface ReadySink {
    void persist(Ready ready) throws IOException;

    void send(Message message);
  }

  private record PendingWrite(long term, CompletableFuture<WriteResult> future) {}

  private record ReadBatch(long createdNanos, List<PendingRead> reads) {}

  public record PendingRead(String key, CompletableFuture<ReadAnswer> future) {}

  /** The answer to a linearizable read: the value (null if absent) as of applied index {@code index}. */
  public record ReadAnswer(String value, long index, long term) {}

  private record WaitingRead(long index, ReadBatch batch) {}

  private final RaftNode node;
  private final KvStateMachine stateMachine;
  private final ReadySink sink;
  private final long requestTimeoutNanos;
  private final long tickNanos;
  private final int maxCatchUpTicks;
  private final Consumer<Throwable> fatal;
  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  /** Held by the one thread driving the node; never waited for, only tried. */
  private final AtomicBoolean driving = new AtomicBoolean();
  private final Thread loopThread;
  private final Thread ioThread;
  private final LinkedBlockingQueue<Ready> readies = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private boolean readyInFlight;
  // When the core next acts on its own, published by each driver; and when the loop thread, if
  // asleep, will wake (Long.MIN_VALUE while awake). A driver that moves the first before the second
  // wakes the loop thread.
  private volatile long dueAtNanos;
  private volatile long loopWakeAtNanos = Long.MIN_VALUE;

  // Shared between the loop (registers) and the I/O thread (completes on apply).
  private final Map<Long, PendingWrite> pendingWrites = new ConcurrentHashMap<>();
  private final Map<Long, ReadBatch> readBatches = new ConcurrentHashMap<>();
  // The driving thread only.
  private List<PendingRead> readsToBatch = new ArrayList<>();
  private long nextReadContext = 1;
  private long syncedTerm;
  private String syncedVote;
  private long nextTickNanos;
  // Written by the driving thread only; volatile for metrics.
  private volatile long ticks;
  private volatile long skippedTicks;
  // Whichever thread processes the Ready in flight (one at a time; the queues order the hand-over).
  private final PriorityQueue<WaitingRead> waitingReads = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));

  // Published for metrics and inspection from other threads.
  private volatile SoftState softState = new SoftState(Role.FOLLOWER, null);
  private volatile NodeStatus lastStatus;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong elections = new AtomicLong();
  private final AtomicLong leaderChanges = new AtomicLong();
  private final AtomicLong invalidMessages = new AtomicLong();
  private final AtomicLong readies_ = new AtomicLong();
  private final AtomicLong inlineReadies = new AtomicLong();
  private final AtomicLong heartbeatsAhead = new AtomicLong();
  private volatile long roleSinceMicros = nowMicros();

  /** {@code tickMillis}: the length of one core tick in wall-clock time. */
  public RaftLoop(RaftNode node, KvStateMachine stateMachine, ReadySink sink, long tickMillis, long requestTimeoutMillis,
      Consumer<Throwable> fatal) {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis: must be >= 1, got " + tickMillis);
    }
    this.node = node;
    this.stateMachine = stateMachine;
    this.sink = sink;
    this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
    // After a stall (SIGSTOP, a long GC pause) a node sees at most two election timeouts pass, not
    // one election per missed tick; that is still enough for every timer, leases included, to expire.
    this.maxCatchUpTicks = Math.max(16, 2 * node.config().electionTicksMax());
    this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis);
    this.fatal = fatal;
    this.lastStatus = node.status();
    this.syncedTerm = lastStatus.term();
    this.syncedVote = lastStatus.vote();
    this.loopThread = new Thread(this::runLoop, "raft-loop-" + node.id());
    this.ioThread = new Thread(this::runIo, "raft-io-" + node.id());
    // Ahead of compilers, collectors and other processes for a CPU, where the JVM may set it
    // (TransportThreads says when): a heartbeat that waits for a CPU can cost an election.
    loopThread.setPriority(Thread.MAX_PRIORITY);
    ioThread.setPriority(Thread.MAX_PRIORITY);
  }

  public void start() {
    nextTickNanos = System.nanoTime() + tickNanos;
    dueAtNanos = nextTickNanos;
    loopThread.start();
    ioThread.start();
  }

  // ---- inputs (any thread) ------------------------------------------------------------------

  public void deliver(Message m) {
    post(() -> {
      try {
        node.step(m);
      } catch (InvalidMessageException e) {
        invalidMessages.incrementAndGet();
        log.warn("refused peer message: {}", e.getMessage());
      }
    });
  }

  /** Proposes an encoded command; the future completes when it is applied, or fails with a {@link RequestException}. */
  public CompletableFuture<WriteResult> propose(byte[] command) {
    CompletableFuture<WriteResult> f = new CompletableFuture<>();
    post(() -> {
      ProposeResult r = node.propose(command);
      switch (r.status()) {
        case ACCEPTED -> pendingWrites.put(r.index(), new PendingWrite(r.term(), f));
        case NOT_LEADER -> f.completeExceptionally(notLeader(r.leader()));
        case TRANSFERRING -> f.completeExceptionally(new RequestException(RequestException.Kind.TRANSFERRING, null,
            "leadership transfer in progress; retry shortly"));
      }
    });
    return f;
  }

  /**
   * A linearizable read of {@code key}. On a follower it is served only if {@code allowFollower}
   * (the read point is still confirmed by the leader). Reads arriving together share one read point.
   */
  public CompletableFuture<ReadAnswer> read(String key, boolean allowFollower) {
    CompletableFuture<ReadAnswer> f = new CompletableFuture<>();
    post(() -> {
      if (node.role() != Role.LEADER && !allowFollower) {
        f.completeExceptionally(notLeader(node.leader()));
        return;
      }
      readsToBatch.add(new PendingRead(key, f));
    });
    return f;
  }

  /** Runs {@code query} against the node on the driving thread (inspection and control). */
  public <T> CompletableFuture<T> query(Function<RaftNode, T> query) {
    CompletableFuture<T> f = new CompletableFuture<>();
    post(() -> {
      try {
        f.complete(query.apply(node));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  private void post(Runnable r) {
    if (!running) {
      throw new RequestException(RequestException.Kind.UNAVAILABLE, null, "node is stopping");
    }
    events.add(r);
    drive(CALLER_ROUNDS);
  }

  private static RequestException notLeader(String leader) {
    if (leader == null) {
      return new RequestException(RequestException.Kind.UNAVAILABLE, null, "no leader known; retry shortly");
    }
    return new RequestException(RequestException.Kind.NOT_LEADER, leader, "NOT_LEADER: the leader is " + leader);
  }

  // ---- driving ------------------------------------------------------------------------------

  /**
   * Drives the node for up to {@code rounds} rounds if no other thread is driving it. After letting
   * go, it looks at the queue again: an input queued by a thread that found it driving is taken by
   * it, or handed on to the loop thread once the rounds are spent, never left behind.
   */
  private void drive(int rounds) {
    while (running) {
      if (!driving.compareAndSet(false, true)) {
        return;
      }
      Throwable failure = null;
      try {
        if (!running) {
          return;
        }
        round();
      } catch (Throwable t) {
        running = false; // the node's state is no longer known to be whole: nobody drives it again
        failure = t;
      } finally {
        driving.set(false);
      }
      if (failure != null) {
        fatal.accept(failure);
        return;
      }
      if (events.isEmpty()) {
        return;
      }
      if (--rounds <= 0) {
        LockSupport.unpark(loopThread);
        return;
      }
    }
  }

  /** One round: the ticks that came due, then every queued input, then the Readies they made. */
  private void round() throws IOException {
    tickDue();
    Runnable r;
    // Take everything that is already waiting, so it shares one Ready.
    int n = 0;
    while (n++ < 4096 && (r = events.poll()) != null) {
      r.run();
    }
    flushReads();
    handOutReadies();
    if (readyInFlight) {
      sendHeartbeats();
    }
    lastStatus = node.status();
    long due = nextTickNanos + (node.ticksUntilDue() - 1) * tickNanos;
    dueAtNanos = due;
    if (due < loopWakeAtNanos) {
      LockSupport.unpark(loopThread);
    }
  }

  /**
   * The loop thread keeps time: it sleeps until the core is due to act (at most 100 ms), or until a
   * caller leaves it inputs, and then drives. While another thread drives, it looks again a tick later.
   */
  private void runLoop() {
    while (running) {
      long now = System.nanoTime();
      long due = dueAtNanos;
      if (events.isEmpty() && due > now) {
        long wakeAt = Math.min(due, now + MAX_SLEEP_NANOS);
        loopWakeAtNanos = wakeAt;
        if (dueAtNanos >= wakeAt) { // else a driver moved it meanwhile and may not have seen wakeAt
          LockSupport.parkNanos(this, wakeAt - now);
        }
        loopWakeAtNanos = Long.MIN_VALUE;
        continue;
      }
      if (driving.get()) {
        loopWakeAtNanos = now + tickNanos;
        LockSupport.parkNanos(this, tickNanos);
        loopWakeAtNanos = Long.MIN_VALUE;
        continue;
      }
      drive(Integer.MAX_VALUE);
    }
  }

  /** Delivers the ticks that came due since the last call (at most {@code maxCatchUpTicks}). */
  private void tickDue() {
    long now = System.nanoTime();
    if (now < nextTickNanos) {
      return;
    }
    long due = (now - nextTickNanos) / tickNanos + 1;
    if (due > maxCatchUpTicks) {
      skippedTicks += due - maxCatchUpTicks;
      nextTickNanos += (due - maxCatchUpTicks) * tickNanos;
      due = maxCatchUpTicks;
    }
    for (long i = 0; i < due; i++) {
      node.tick();
      nextTickNanos += tickNanos;
      if (++ticks % TICKS_PER_EXPIRY_CHECK == 0) {
        expireReadBatches();
      }
    }
  }

  /**
   * Hands out Readies while the core has them and none is in flight. When no input is waiting, the
   * driving thread does the Ready's I/O itself: at low load that saves two thread wake-ups per Ready
   * (to the I/O thread and back), several per request. When inputs are waiting, the I/O thread takes
   * it, so they are stepped during the fsync and share the next one. A caller's thread (a network
   * thread) never waits for an fsync: the messages it has not read yet would each make a Ready and an
   * fsync of their own, where the I/O thread writes all of them with one.
   */
  private void handOutReadies() throws IOException {
    while (!readyInFlight && node.hasReady()) {
      Ready rd = node.ready();
      boolean sync = needsSync(rd);
      handOut(rd);
      Thread self = Thread.currentThread();
      if (!events.isEmpty() || (sync && self != loopThread && self != ioThread)) {
        readies.add(rd);
        return;
      }
      inlineReadies.incrementAndGet();
      process(rd);
      node.advance(rd);
      readyInFlight = false;
    }
  }

  /**
   * Whether persisting {@code rd} will wait for the disk: new entries, or a new term or vote (a change
   * of commit alone is written lazily; {@code NodeStorage}). Only chooses the thread; the storage decides.
   */
  private boolean needsSync(Ready rd) {
    HardState hs = rd.hardState();
    boolean termOrVote = hs != null && (hs.term() != syncedTerm || !Objects.equals(hs.vote(), syncedVote));
    if (termOrVote) {
      syncedTerm = hs.term();
      syncedVote = hs.vote();
    }
    return termOrVote || !rd.entries().isEmpty();
  }

  private void handOut(Ready rd) {
    readyInFlight = true;
    if (rd.softState() != null) {
      SoftState prev = softState;
      softState = rd.softState();
      if (rd.softState().role() == Role.CANDIDATE && prev.role() != Role.CANDIDATE) {
        elections.incrementAndGet();
      }
      if (rd.softState().role() != prev.role()) {
        roleSinceMicros = nowMicros();
        log.info("{}: {} -> {} (term {})", node.id(), prev.role(), rd.softState().role(), node.term());
      }
      if (rd.softState().leader() != null && !rd.softState().leader().equals(prev.leader())) {
        leaderChanges.incrementAndGet();
        log.info("{}: leader is now {} (term {})", node.id(), rd.softState().leader(), node.term());
      }
      // A deposed leader's pending writes stay pending: a later leader may still commit them or
      // overwrite their slot (applyOne tells which); otherwise they time out as unknown.
      if (!Objects.equals(rd.softState().leader(), prev.leader()) || rd.softState().role() != prev.role()) {
        failUnconfirmedReads(rd.softState().leader());
      }
    }
  }

  /**
   * While a Ready is on disk, heartbeats and their responses leave now rather than after it: a
   * write that waits for a CPU or a slow fsync must not make the leader look dead (its followers
   * would start an election, its quorum check would depose it) or hold up a read round.
   */
  private void sendHeartbeats() {
    List<Message> now = node.takeHeartbeats();
    for (Message m : now) {
      sink.send(m);
    }
    heartbeatsAhead.addAndGet(now.size());
  }

  /** Asks the core for one read point for every read that arrived since the last Ready. */
  private void flushReads() {
    if (readsToBatch.isEmpty()) {
      return;
    }
    List<PendingRead> batch = readsToBatch;
    readsToBatch = new ArrayList<>();
    long ctx = nextReadContext++;
    ReadRequestResult r = node.readIndex(ctx);
    if (r == ReadRequestResult.NO_LEADER) {
      for (PendingRead p : batch) {
        p.future().completeExceptionally(notLeader(null));
      }
      return;
    }
    readBatches.put(ctx, new ReadBatch(System.nanoTime(), batch));
  }

  /**
   * Reads still waiting for their read point when leadership moves: the old leader's heartbeat
   * round will not confirm them, so they fail now (a read changes nothing; the client retries)
   * instead of waiting for the request timeout.
   */
  private void failUnconfirmedReads(String newLeader) {
    for (Long ctx : List.copyOf(readBatches.keySet())) {
      ReadBatch batch = readBatches.remove(ctx);
      if (batch != null) {
        for (PendingRead p : batch.reads()) {
          p.future().completeExceptionally(notLeader(newLeader));
        }
      }
    }
  }

  /** Read points that never came (lost messages, lost leadership) fail instead of leaking. */
  private void expireReadBatches() {
    long now = System.nanoTime();
    readBatches.entrySet().removeIf(e -> {
      if (now - e.getValue().createdNanos() > requestTimeoutNanos) {
        for (PendingRead p : e.getValue().reads()) {
          p.future().completeExceptionally(new RequestException(RequestException.Kind.TIMEOUT, null,
              "read not confirmed by a quorum in time"));
        }
        return true;
      }
      return false;
    });
  }

  private void onAdvance(Ready rd) throws IOException {
    node.advance(rd);
    readyInFlight = false;
    handOutReadies();
    lastStatus = node.status();
  }

  // ---- the I/O thread -----------------------------------------------------------------------

  private void runIo() {
    try {
      while (running) {
        Ready rd = readies.poll(100, TimeUnit.MILLISECONDS);
        if (rd == null) {
          continue;
        }
        process(rd);
        events.add(() -> {
          try {
            onAdvance(rd);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        drive(CALLER_ROUNDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      fatal.accept(t);
    }
  }

  /**
   * One Ready's side effects, in the order the persistence contract requires. Runs on the I/O thread
   * or, when no input waits, on the driving thread; never on both at once (one Ready is in flight).
   */
  private void process(Ready rd) throws IOException {
    // Committed entries below this Ready's new entries were made durable by an earlier Ready
    // (one is in flight at a time), so they are applied and answered before this Ready's
    // fsync instead of after it: under load that saves one fsync of latency per request.
    List<Entry> committed = rd.committedEntries();
    long firstNew = rd.entries().isEmpty() ? Long.MAX_VALUE : rd.entries().get(0).index();
    int appliedEarly = 0;
    while (appliedEarly < committed.size() && committed.get(appliedEarly).index() < firstNew) {
      applyOne(committed.get(appliedEarly++));
    }
    // A leader's appends and heartbeats go out while its own fsync runs (§10.2.1).
    for (Message m : rd.earlyMessages()) {
      sink.send(m);
    }
    if (rd.mustPersist()) {
      sink.persist(rd);
    }
    for (Message m : rd.messages()) {
      sink.send(m);
    }
    // Committed entries that arrive in this very Ready (a follower learning them and their
    // commit together) wait until they are durable here.
    for (int i = appliedEarly; i < committed.size(); i++) {
      applyOne(committed.get(i));
    }
    for (ReadState rs : rd.readStates()) {
      ReadBatch batch = readBatches.remove(rs.context());
      if (batch != null) {
        waitingReads.add(new WaitingRead(rs.index(), batch));
      }
    }
    answerReads();
    readies_.incrementAndGet();
  }

  private void applyOne(Entry e) {
    WriteResult result = stateMachine.apply(e);
    applied.set(e.index());
    PendingWrite pending = pendingWrites.remove(e.index());
    if (pending == null) {
      return;
    }
    if (pending.term() != e.term()) {
      pending.future().completeExceptionally(new RequestException(RequestException.Kind.DROPPED, null,
          "proposal at index " + e.index() + " was replaced by another leader's entry; not applied"));
      return;
    }
    if (result != null && result.error() != null) {
      pending.future().completeExceptionally(new RequestException(RequestException.Kind.STALE_SEQUENCE, null,
          "STALE_SEQUENCE: write at index " + e.index() + " is an old duplicate; refused"));
      return;
    }
    pending.future().complete(result);
  }

  private void answerReads() {
    long appliedIndex = stateMachine.appliedIndex();
    while (!waitingReads.isEmpty() && waitingReads.peek().index() <= appliedIndex) {
      WaitingRead w = waitingReads.poll();
      long term = lastStatus.term();
      for (PendingRead p : w.batch().reads()) {
        p.future().complete(new ReadAnswer(stateMachine.get(p.key()), appliedIndex, term));
      }
    }
  }

  // ---- inspection ---------------------------------------------------------------------------

  public SoftState softState() {
    return softState;
  }

  /** The status as of the last loop iteration (cheap; for metrics). */
  public NodeStatus lastStatus() {
    return lastStatus;
  }

  public long appliedIndex() {
    return applied.get();
  }

  public long elections() {
    return elections.get();
  }

  public long leaderChanges() {
    return leaderChanges.get();
  }

  public long invalidMessages() {
    return invalidMessages.get();
  }

  public long readiesHandled() {
    return readies_.get();
  }

  /** Ticks delivered to the core so far. */
  public long ticks() {
    return ticks;
  }

  /** Ticks not delivered because the loop was stalled for longer than two election timeouts. */
  public long skippedTicks() {
    return skippedTicks;
  }

  /** When this node took its current role (wall clock, microseconds since the epoch). */
  public long roleSinceMicros() {
    return roleSinceMicros;
  }

  private static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  /** Readies whose I/O the loop thread did itself because nothing else was waiting. */
  public long readiesInline() {
    return inlineReadies.get();
  }

  /** Heartbeats and responses sent while a Ready was in flight, ahead of it. */
  public long heartbeatsAhead() {
    return heartbeatsAhead.get();
  }

  public int eventQueueDepth() {
    return events.size();
  }

  public int pendingWrites() {
    return pendingWrites.size();
  }

  public int pendingReads() {
    return readBatches.size() + waitingReads.size();
  }

  @Override
  public void close() {
    running = false;
    loopThread.interrupt();
    ioThread.interrupt();
    try {
      loopThread.join(2000);
      ioThread.join(2000);
      // A caller's thread may be in a round: wait for it, then keep the node so nobody drives it again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (!driving.compareAndSet(false, true) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Proposed writes may already be on other nodes and be committed by the next leader.
    RequestException stopped = new RequestException(RequestException.Kind.STOPPED, null, "node stopped before the outcome was known");
    pendingWrites.values().forEach(p -> p.future().completeExceptionally(stopped));
    readBatches.values().forEach(b -> b.reads().forEach(p -> p.future().completeExceptionally(stopped)));
  }
}
