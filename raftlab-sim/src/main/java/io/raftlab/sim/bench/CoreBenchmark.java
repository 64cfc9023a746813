package io.raftlab.sim.bench;

import io.raftlab.core.Config;
import io.raftlab.core.Message;
import io.raftlab.core.RaftNode;
import io.raftlab.core.Ready;
import io.raftlab.core.Role;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The core alone, with as little around it as possible: N nodes, a FIFO in-memory network,
 * persistence that completes at once, no faults and no checks, and a leader kept busy with
 * proposals. Measures {@code RaftNode.step} calls per second of this thread's CPU time.
 */
public final class CoreBenchmark {

  /** What a benchmark run measured. */
  public record Result(long coreSteps, long proposalsCommitted, long cpuNanos) {
    public double stepsPerCpuSecond() {
      return cpuNanos == 0 ? 0 : coreSteps * 1e9 / cpuNanos;
    }
  }

  private CoreBenchmark() {}

  /** Runs until {@code targetSteps} messages were stepped; {@code batch} proposals go in per tick. */
  public static Result run(int nodes, long targetSteps, int batch, long seed) {
    if (nodes < 1 || nodes > 64) {
      throw new IllegalArgumentException("nodes must be in 1..64, got " + nodes);
    }
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      members.add("n" + i);
    }
    Config base = Config.builder("n1", members).build();
    SplittableRandom random = new SplittableRandom(seed);
    RaftNode[] cluster = new RaftNode[nodes];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes; i++) {
      cluster[i] = RaftNode.create(base.forMember(members.get(i)), random.split());
      index.put(members.get(i), i);
    }
    cluster[0].campaign();
    ArrayDeque<Message> wire = new ArrayDeque<>();
    byte[] payload = new byte[32];
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long steps = 0;
    long committed = 0;
    long round = 0;
    while (steps < targetSteps) {
      round++;
      for (RaftNode n : cluster) {
        n.tick();
      }
      for (RaftNode n : cluster) {
        if (n.role() == Role.LEADER) {
          for (int k = 0; k < batch; k++) {
            n.propose(payload);
          }
        }
      }
      // Drain: handle Readies and deliver messages until the cluster is quiet for this round.
      boolean busy = true;
      while (busy && steps < targetSteps) {
        busy = false;
        for (RaftNode n : cluster) {
          while (n.hasReady()) {
            Ready r = n.ready();
            wire.addAll(r.allMessages());
            committed += r.committedEntries().size();
            n.advance(r);
            busy = true;
          }
        }
        Message m;
        while ((m = wire.poll()) != null) {
          cluster[index.get(m.to())].step(m);
          steps++;
          busy = true;
        }
      }
      if (round > 1_000_000 && steps == 0) {
        throw new IllegalStateException("the cluster exchanged no messages in " + round + " rounds");
      }
    }
    return new Result(steps, committed / nodes, mx.getCurrentThreadCpuTime() - cpu0);
  }
}
