package io.raftlab.checker.generate;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates histories that are linearizable by construction, for tests and benchmarks.
 *
 * <p>Concurrent clients issue reads, writes and CASes on random keys; each operation gets a random
 * interval and a linearization point inside it. Applying the operations to a sequential cas
 * register per key in linearization-point order decides every read's value and every CAS's
 * success, so the history is linearizable. Written values are unique. A fraction of operations
 * end with an unknown outcome (INFO): such a write or CAS took effect or not at random, and, as in
 * Jepsen, its client continues under a new process id.
 */
public final class HistoryGenerator {

  /**
   * What to generate.
   *
   * @param clients concurrent clients (at least 1)
   * @param operations how many operations in total
   * @param keys how many keys (1 = a single register, key "")
   * @param infoFraction fraction of operations with an unknown outcome, in [0, 1]
   * @param readFraction fraction of reads; the rest splits into {@code writeShare} writes and CASes
   * @param writeShare share of writes among non-reads, in [0, 1]
   * @param maxLatencyNanos longest operation duration (operations of different clients overlap)
   * @param seed random seed; the same settings and seed give the same history
   */
  public record Settings(int clients, int operations, int keys, double infoFraction, double readFraction,
      double writeShare, long maxLatencyNanos, long seed) {
    public Settings {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be >= 1, got " + clients);
      }
      if (operations < 0) {
        throw new IllegalArgumentException("operations must be >= 0, got " + operations);
      }
      if (keys < 1) {
        throw new IllegalArgumentException("keys must be >= 1, got " + keys);
      }
      for (double f : new double[] {infoFraction, readFraction, writeShare}) {
        if (f < 0 || f > 1) {
          throw new IllegalArgumentException("fractions must be in [0, 1], got " + f);
        }
      }
      if (maxLatencyNanos < 1) {
        throw new IllegalArgumentException("maxLatencyNanos must be >= 1, got " + maxLatencyNanos);
      }
    }

    /** 10 clients on one register, 50% reads, 5% unknown outcomes. */
    public static Settings register(int operations, long seed) {
      return new Settings(10, operations, 1, 0.05, 0.5, 0.6, 1_000_000, seed);
    }

    public Settings withClients(int c) {
      return new Settings(c, operations, keys, infoFraction, readFraction, writeShare, maxLatencyNanos, seed);
    }

    public Settings withKeys(int k) {
      return new Settings(clients, operations, k, infoFraction, readFraction, writeShare, maxLatencyNanos, seed);
    }

    public Settings withInfoFraction(double f) {
      return new Settings(clients, operations, keys, f, readFraction, writeShare, maxLatencyNanos, seed);
    }

    public Settings withSeed(long s) {
      return new Settings(clients, operations, keys, infoFraction, readFraction, writeShare, maxLatencyNanos, s);
    }
  }

  private HistoryGenerator() {}

  private static final class Draft {
    int process;
    OpFunction function;
    String key;
    long invoke;
    long complete;
    long point;
    boolean info;
    boolean takesEffect = true;
    Object value;
    Object expected;
    Object output;
    Outcome outcome = Outcome.OK;
  }

  /** A linearizable history. */
  public static History generate(Settings s) {
    SplittableRandom random = new SplittableRandom(s.seed());
    String[] keyNames = new String[s.keys()];
    for (int k = 0; k < s.keys(); k++) {
      keyNames[k] = s.keys() == 1 ? "" : "k" + k;
    }
    // Client c is free from time free[c]; always schedule the client that is free first.
    PriorityQueue<long[]> clients = new PriorityQueue<>(Comparator.comparingLong((long[] c) -> c[0]));
    for (int c = 0; c < s.clients(); c++) {
      clients.add(new long[] {random.nextLong(1000), c, c});
    }
    List<Draft> drafts = new ArrayList<>(s.operations());
    for (int i = 0; i < s.operations(); i++) {
      long[] client = clients.poll();
      Draft d = new Draft();
      d.process = (int) client[2];
      d.key = keyNames[random.nextInt(s.keys())];
      double r = random.nextDouble();
      d.function = r < s.readFraction() ? OpFunction.READ
          : random.nextDouble() < s.writeShare() ? OpFunction.WRITE : OpFunction.CAS;
      d.invoke = client[0] + random.nextLong(s.maxLatencyNanos() / 4 + 1);
      d.complete = d.invoke + 1 + random.nextLong(s.maxLatencyNanos());
      d.point = d.invoke + random.nextLong(d.complete - d.invoke + 1);
      d.info = random.nextDouble() < s.infoFraction();
      if (d.info) {
        d.outcome = Outcome.INFO;
        d.takesEffect = random.nextBoolean();
        client[2] += s.clients(); // a crashed Jepsen client comes back as a new process
      }
      client[0] = d.complete + 1;
      clients.add(client);
      drafts.add(d);
    }
    // Apply in linearization-point order to decide reads and CASes.
    List<Draft> byPoint = new ArrayList<>(drafts);
    byPoint.sort(Comparator.comparingLong(d -> d.point));
    Map<String, Long> current = new HashMap<>();
    long nextValue = 1;
    for (Draft d : byPoint) {
      Long now = current.get(d.key);
      switch (d.function) {
        case READ -> d.output = d.info ? null : now;
        case WRITE -> {
          d.value = nextValue++;
          if (d.takesEffect) {
            current.put(d.key, (Long) d.value);
          }
        }
        case CAS -> {
          d.value = nextValue++;
          boolean guessRight = d.info ? d.takesEffect : random.nextInt(3) != 0;
          if (guessRight) {
            d.expected = now;
          } else {
            long wrong = now == null ? 0 : now + 1 + random.nextLong(3);
            d.expected = wrong;
          }
          boolean succeeds = Objects.equals(d.expected, now) && d.takesEffect;
          if (succeeds) {
            current.put(d.key, (Long) d.value);
          } else if (!d.info) {
            d.outcome = Outcome.FAIL;
          }
        }
        case DELETE -> throw new IllegalStateException("the generator issues no deletes");
      }
    }
    List<Operation> ops = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      ops.add(new Operation(0, d.process, d.function, d.key, d.value, d.expected, d.output, d.invoke, d.complete,
          null, d.outcome, 0));
    }
    return History.reindexed("generated(seed " + s.seed() + ")", ops);
  }

  /**
   * A history with one injected violation, and which operation it is.
   *
   * @param history the mutated history
   * @param mutated the id of the changed operation
   * @param description what was changed
   */
  public record Mutation(History history, int mutated, String description) {}

  /**
   * Makes one read return a stale value: a value that was overwritten by a write that completed
   * before the read was invoked, and that was itself written before that write began. With unique
   * values no order can explain it, so the result is never linearizable.
   *
   * @throws IllegalArgumentException if the history has no read that can be made stale
   */
  public static Mutation staleRead(History history, long seed) {
    Map<String, List<Operation>> writesByKey = new HashMap<>();
    List<Operation> candidates = new ArrayList<>();
    for (Operation op : history.operations()) {
      boolean effective = op.outcome() == Outcome.OK && (op.function() == OpFunction.WRITE || op.function() == OpFunction.CAS);
      if (effective) {
        writesByKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      } else if (op.outcome() == Outcome.OK && op.function() == OpFunction.READ) {
        candidates.add(op);
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    int start = candidates.isEmpty() ? 0 : random.nextInt(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      Operation read = candidates.get((start + i) % candidates.size());
      List<Operation> writes = writesByKey.getOrDefault(read.key(), List.of());
      Operation overwrite = null;
      for (Operation w : writes) {
        if (w.completeNanos() < read.invokeNanos() && (overwrite == null || w.completeNanos() > overwrite.completeNanos())) {
          overwrite = w;
        }
      }
      if (overwrite == null) {
        continue;
      }
      Operation stale = null;
      for (Operation w : writes) {
        if (w.completeNanos() < overwrite.invokeNanos() && !Objects.equals(w.value(), read.output())
            && !Objects.equals(w.value(), overwrite.value())) {
          stale = w;
        }
      }
      if (stale == null) {
        continue;
      }
      List<Operation> ops = new ArrayList<>(history.operations());
      ops.set(read.id(), read.withOutput(stale.value()));
      return new Mutation(History.of(history.source() + "+stale-read", ops), read.id(),
          "read #" + read.id() + " now returns " + stale.value() + " (written by #" + stale.id()
              + ", overwritten by #" + overwrite.id() + " before the read began)");
    }
    throw new IllegalArgumentException("history has no read that can be made stale (it needs two writes completed before a read)");
  }
}
