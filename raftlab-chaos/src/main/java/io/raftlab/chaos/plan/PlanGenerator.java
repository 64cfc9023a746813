package io.raftlab.chaos.plan;

import io.raftlab.chaos.net.NetworkFaults.Link;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws random plans (the Raft Monkey's): weighted events, each possible in the state the
 * previous ones left (an impossible draw, such as killing a dead node, is drawn again), at most
 * {@code maxDown} nodes killed or paused at once, and a tail that heals and revives everything so
 * the cluster ends whole. The same seed and options give the same plan, byte for byte.
 */
public final class PlanGenerator {

  /** The kinds of events, with the keyword each has in the plan text. */
  public enum Kind { GET, SET, KILL, REV, PART, PART1, BRIDGE, HEAL, HEALALL, PAUSE, RESUME }

  /**
   * @param nodes cluster size
   * @param events how many random events (the repair tail comes on top)
   * @param keys keys k1..kK
   * @param clients plan clients c0..c(M-1)
   * @param meanGapMillis mean time between events; gaps are uniform in 0..2*mean
   * @param weights relative weight of each kind (0 = never)
   * @param maxDown most nodes killed or paused at once
   */
  public record Options(int nodes, int events, int keys, int clients, long meanGapMillis, Map<Kind, Integer> weights, int maxDown) {

    public Options {
      require(nodes >= 1 && nodes <= 1000, "nodes", nodes, "1..1000");
      require(events >= 0 && events <= 1_000_000, "events", events, "0..1000000");
      require(keys >= 1 && keys <= 10_000, "keys", keys, "1..10000");
      require(clients >= 1 && clients <= 1000, "clients", clients, "1..1000");
      require(meanGapMillis >= 0 && meanGapMillis <= 3_600_000, "mean gap (ms)", meanGapMillis, "0..3600000");
      require(maxDown >= 0 && maxDown <= nodes, "maxDown", maxDown, "0..nodes");
      EnumMap<Kind, Integer> w = new EnumMap<>(Kind.class);
      w.putAll(weights);
      for (Map.Entry<Kind, Integer> e : w.entrySet()) {
        require(e.getValue() >= 0 && e.getValue() <= 1_000_000, "weight of " + e.getKey(), e.getValue(), "0..1000000");
      }
      weights = Map.copyOf(w);
    }

    /** Default weights, a minority down at most. */
    public static Options defaults(int nodes, int events) {
      return new Options(nodes, events, 5, 3, 150, defaultWeights(), minority(nodes));
    }

    public Options withEvents(int n) {
      return new Options(nodes, n, keys, clients, meanGapMillis, weights, maxDown);
    }

    public Options withKeys(int n) {
      return new Options(nodes, events, n, clients, meanGapMillis, weights, maxDown);
    }

    public Options withClients(int n) {
      return new Options(nodes, events, keys, n, meanGapMillis, weights, maxDown);
    }

    public Options withMeanGapMillis(long ms) {
      return new Options(nodes, events, keys, clients, ms, weights, maxDown);
    }

    public Options withMaxDown(int n) {
      return new Options(nodes, events, keys, clients, meanGapMillis, weights, n);
    }

    /** Lets every node be down at once (a majority too): the cluster may stop making progress. */
    public Options allowingMajorityDown() {
      return withMaxDown(nodes);
    }

    /** These weights replace the defaults of the kinds they name, e.g. {"KILL": "0", "PART1": "5"}. */
    public Options withWeights(Map<String, String> changes) {
      EnumMap<Kind, Integer> w = new EnumMap<>(Kind.class);
      w.putAll(weights);
      for (Map.Entry<String, String> e : changes.entrySet()) {
        Kind k;
        try {
          k = Kind.valueOf(e.getKey().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("weight: unknown event '" + e.getKey() + "'; allowed: " + Arrays.toString(Kind.values()));
        }
        try {
          w.put(k, Integer.parseInt(e.getValue().trim()));
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("weight of " + k + ": '" + e.getValue() + "' is not a whole number 0..1000000");
        }
      }
      return new Options(nodes, events, keys, clients, meanGapMillis, w, maxDown);
    }

    public int weight(Kind k) {
      return weights.getOrDefault(k, 0);
    }
  }

  public static Map<Kind, Integer> defaultWeights() {
    EnumMap<Kind, Integer> w = new EnumMap<>(Kind.class);
    w.put(Kind.GET, 10);
    w.put(Kind.SET, 10);
    w.put(Kind.KILL, 3);
    w.put(Kind.REV, 3);
    w.put(Kind.PART, 3);
    w.put(Kind.PART1, 2);
    w.put(Kind.BRIDGE, 1);
    w.put(Kind.HEAL, 3);
    w.put(Kind.HEALALL, 1);
    w.put(Kind.PAUSE, 2);
    w.put(Kind.RESUME, 2);
    return w;
  }

  /** The most nodes that can be down while the rest still form a majority. */
  public static int minority(int nodes) {
    return (nodes - 1) / 2;
  }

  /** The seed of plan {@code index} of a run seeded {@code runSeed} (SplitMix64 of the pair). */
  public static long planSeed(long runSeed, int index) {
    long z = runSeed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final int MAX_DRAWS = 10_000;

  private final Options options;

  public PlanGenerator(Options options) {
    this.options = options;
  }

  public Plan generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> nodes = Plan.nodeNames(options.nodes());
    FaultState state = new FaultState(nodes);
    List<Plan.Timed> events = new ArrayList<>();
    long offset = 0;
    int nextValue = 1;
    for (int i = 0; i < options.events(); i++) {
      offset += gap(random);
      PlanEvent e = null;
      for (int draw = 0; e == null; draw++) {
        if (draw == MAX_DRAWS) {
          throw new IllegalArgumentException("weights: no event with a positive weight is possible after event " + i
              + " (give GET or SET a positive weight)");
        }
        e = draw(pickKind(random), state, random, nodes, nextValue);
      }
      if (e instanceof PlanEvent.Set) {
        nextValue++;
      }
      state.apply(e);
      events.add(new Plan.Timed(offset, e));
    }
    for (PlanEvent repair : state.repairs()) {
      offset += Math.max(1, options.meanGapMillis());
      state.apply(repair);
      events.add(new Plan.Timed(offset, repair));
    }
    return new Plan(options.nodes(), events);
  }

  private long gap(SplittableRandom random) {
    return options.meanGapMillis() == 0 ? 0 : random.nextLong(2 * options.meanGapMillis() + 1);
  }

  private Kind pickKind(SplittableRandom random) {
    int total = 0;
    for (Kind k : Kind.values()) {
      total += options.weight(k);
    }
    if (total == 0) {
      throw new IllegalArgumentException("weights: every event has weight 0");
    }
    int r = random.nextInt(total);
    for (Kind k : Kind.values()) {
      r -= options.weight(k);
      if (r < 0) {
        return k;
      }
    }
    throw new AssertionError();
  }

  /** A possible event of kind {@code k}, or null when none is possible now. */
  private PlanEvent draw(Kind k, FaultState state, SplittableRandom random, List<String> nodes, int nextValue) {
    switch (k) {
      case GET:
        return new PlanEvent.Get(key(random), client(random));
      case SET:
        return new PlanEvent.Set(key(random), "v" + nextValue, client(random));
      case KILL:
      case PAUSE: {
        if (state.downCount() >= options.maxDown()) {
          return null;
        }
        List<String> up = nodes.stream().filter(state::isUp).toList();
        if (up.isEmpty()) {
          return null;
        }
        String n = pick(up, random);
        return k == Kind.KILL ? new PlanEvent.Kill(n) : new PlanEvent.Pause(n);
      }
      case REV: {
        List<String> killed = nodes.stream().filter(state.killed()::contains).toList();
        return killed.isEmpty() ? null : new PlanEvent.Revive(pick(killed, random));
      }
      case RESUME: {
        List<String> paused = nodes.stream().filter(state.paused()::contains).toList();
        return paused.isEmpty() ? null : new PlanEvent.Resume(pick(paused, random));
      }
      case PART:
      case HEAL: {
        List<PlanEvent> options = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          for (int j = i + 1; j < nodes.size(); j++) {
            PlanEvent e = k == Kind.PART ? new PlanEvent.Partition(nodes.get(i), nodes.get(j)) : new PlanEvent.Heal(nodes.get(i), nodes.get(j));
            if (state.impossibility(e) == null) {
              options.add(e);
            }
          }
        }
        return options.isEmpty() ? null : pick(options, random);
      }
      case PART1: {
        List<PlanEvent> options = new ArrayList<>();
        java.util.Set<Link> blocked = state.blocked();
        for (String a : nodes) {
          for (String b : nodes) {
            if (!a.equals(b) && !blocked.contains(new Link(a, b))) {
              options.add(new PlanEvent.PartitionOneWay(a, b));
            }
          }
        }
        return options.isEmpty() ? null : pick(options, random);
      }
      case BRIDGE: {
        List<PlanEvent> options = new ArrayList<>();
        for (String n : nodes) {
          PlanEvent e = new PlanEvent.Bridge(n);
          if (state.impossibility(e) == null) {
            options.add(e);
          }
        }
        return options.isEmpty() ? null : pick(options, random);
      }
      case HEALALL:
        return state.blocked().isEmpty() ? null : new PlanEvent.HealAll();
      default:
        throw new AssertionError(k);
    }
  }

  private String key(SplittableRandom random) {
    return "k" + (1 + random.nextInt(options.keys()));
  }

  private String client(SplittableRandom random) {
    return "c" + random.nextInt(options.clients());
  }

  private static <T> T pick(List<T> list, SplittableRandom random) {
    return list.get(random.nextInt(list.size()));
  }

  private static void require(boolean ok, String what, long value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(what + ": " + value + " is outside the allowed range " + allowed);
    }
  }
}
