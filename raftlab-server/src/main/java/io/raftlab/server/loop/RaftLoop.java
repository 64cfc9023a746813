package io.raftlab.server.loop;

import io.raftlab.core.Entry;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heart: one thread owns the {@link RaftNode} and runs every input through it; one
 * I/O thread takes each {@link Ready} and, in the order the persistence contract requires,
 * makes its entries and hard state durable, sends its messages, applies its committed entries
 * and answers the clients waiting on them, then hands the Ready back for {@code advance}. At most
 * one Ready is in flight: while it is on disk the loop keeps stepping, and everything that arrives
 * meanwhile goes to disk together in the next one (group commit, one fsync). Committed entries that
 * an earlier Ready already made durable are applied before the Ready's own fsync. When no other
 * input is waiting, the loop thread does a Ready's I/O itself instead of waking the I/O thread.
 * Heartbeats and their responses do not wait for the Ready in flight ({@link RaftNode#takeHeartbeats()}).
 *
 * <p>Time reaches the core as ticks counted by the loop thread's own clock, without a timer
 * thread: the loop sleeps until the tick at which the core will act ({@link RaftNode#ticksUntilDue()})
 * or until an input arrives, and then delivers every tick that came due. A follower that hears its
 * leader regularly thus wakes only for the leader's messages, not once per tick.
 */
public final class RaftLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
  private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int TICKS_PER_EXPIRY_CHECK = 50;

  /** Where a Ready's parts go; implemented by the server with real storage and transport. */
  public interface ReadySink {
    void persist(Ready ready) throws IOException;

    void send(Message message);
  }

  private record PendingWrite(long term, CompletableFuture<WriteResult> future) {}

  /** An input for the loop and when it arrived, so the core sees inputs and ticks in the order they happened. */
  private record Event(long atNanos, Runnable action) {}

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
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread loopThread;
  private final Thread ioThread;
  private final LinkedBlockingQueue<Ready> readies = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private boolean readyInFlight;

  // Shared between the loop (registers) and the I/O thread (completes on apply).
  private final Map<Long, PendingWrite> pendingWrites = new ConcurrentHashMap<>();
  private final Map<Long, ReadBatch> readBatches = new ConcurrentHashMap<>();
  // Loop thread only.
  private List<PendingRead> readsToBatch = new ArrayList<>();
  private long nextReadContext = 1;
  private long nextTickNanos;
  // Written by the loop thread only; volatile for metrics.
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
    this.loopThread = new Thread(this::runLoop, "raft-loop-" + node.id());
    this.ioThread = new Thread(this::runIo, "raft-io-" + node.id());
    // Ahead of compilers, collectors and other processes for a CPU, where the JVM may set it
    // (TransportThreads says when): a heartbeat that waits for a CPU can cost an election.
    loopThread.setPriority(Thread.MAX_PRIORITY);
    ioThread.setPriority(Thread.MAX_PRIORITY);
  }

  public void start() {
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

  /** Runs {@code query} on the loop thread against the node (inspection and control). */
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
    events.add(new Event(System.nanoTime(), r));
  }

  private static RequestException notLeader(String leader) {
    if (leader == null) {
      return new RequestException(RequestException.Kind.UNAVAILABLE, null, "no leader known; retry shortly");
    }
    return new RequestException(RequestException.Kind.NOT_LEADER, leader, "NOT_LEADER: the leader is " + leader);
  }

  // ---- the loop thread ----------------------------------------------------------------------

  private void runLoop() {
    try {
      nextTickNanos = System.nanoTime() + tickNanos;
      while (running) {
        Event e = events.poll(nanosUntilDue(), TimeUnit.NANOSECONDS);
        if (e != null) {
          run(e);
          // Take everything that is already waiting, so it shares one Ready.
          int n = 0;
          while (n++ < 4096 && (e = events.poll()) != null) {
            run(e);
          }
        }
        tickDue(System.nanoTime());
        flushReads();
        handOutReadies();
        if (readyInFlight) {
          sendHeartbeats();
        }
        lastStatus = node.status();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      fatal.accept(t);
    }
  }

  /** How long the loop may sleep: until the tick at which the core acts, at most 100 ms. */
  private long nanosUntilDue() {
    long dueAt = nextTickNanos + (node.ticksUntilDue() - 1) * tickNanos;
    return Math.max(0, Math.min(MAX_SLEEP_NANOS, dueAt - System.nanoTime()));
  }

  /**
   * Runs {@code e} after the ticks that came due before it arrived. When the loop thread waited for
   * a CPU, a heartbeat or a vote that arrived in time is stepped before the timer that fired
   * meanwhile: ticking first turned such a wait into an election, or a new leader's quorum check
   * into stepping down while its followers' answers sat in the queue (seen in the 12-24 ms
   * failover trials, docs/PERFORMANCE.md).
   */
  private void run(Event e) {
    tickDue(e.atNanos());
    e.action().run();
  }

  /** Delivers the ticks that came due up to {@code now} (at most {@code maxCatchUpTicks} per call). */
  private void tickDue(long now) {
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
   * Hands out Readies while the core has them and none is in flight. When nothing else waits on the
   * loop, the loop thread does the Ready's I/O itself: at low load that saves two thread wake-ups
   * per Ready (to the I/O thread and back), several per request. When events are waiting, the I/O
   * thread takes it, so the loop keeps stepping them during the fsync and they share the next one.
   */
  private void handOutReadies() throws IOException {
    while (!readyInFlight && node.hasReady()) {
      Ready rd = node.ready();
      handOut(rd);
      if (!events.isEmpty()) {
        readies.add(rd);
        return;
      }
      inlineReadies.incrementAndGet();
      process(rd);
      node.advance(rd);
      readyInFlight = false;
    }
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
      if (!java.util.Objects.equals(rd.softState().leader(), prev.leader()) || rd.softState().role() != prev.role()) {
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
        events.add(new Event(System.nanoTime(), () -> {
          try {
            onAdvance(rd);
          } catch (IOException e) {
            fatal.accept(e);
          }
        }));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      fatal.accept(t);
    }
  }

  /**
   * One Ready's side effects, in the order the persistence contract requires. Runs on the I/O thread
   * or, when the loop is idle, on the loop thread; never on both at once (one Ready is in flight).
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Proposed writes may already be on other nodes and be committed by the next leader.
    RequestException stopped = new RequestException(RequestException.Kind.STOPPED, null, "node stopped before the outcome was known");
    pendingWrites.values().forEach(p -> p.future().completeExceptionally(stopped));
    readBatches.values().forEach(b -> b.reads().forEach(p -> p.future().completeExceptionally(stopped)));
  }
}
