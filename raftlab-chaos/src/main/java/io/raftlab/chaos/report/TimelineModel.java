package io.raftlab.chaos.report;

import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data the report's script draws: lanes of clients, operation bars (or, for big histories,
 * per-lane time bins), fault bands and node role segments. Times are seconds since the run start.
 *
 * <p>Size limits, so that the page stays usable for any history: at most {@link #MAX_LANES} client
 * lanes (when there are more processes, processes whose lifetimes do not overlap share a lane, as
 * Jepsen's retired-after-info processes usually do; past that, lanes are shared round-robin), and
 * at most {@link #MAX_OP_BARS} individual operation bars. A bigger history is drawn as bins: each
 * lane is cut into at most {@link #MAX_CELLS} / lanes time bins and each non-empty bin is one bar
 * coloured by its worst outcome and shaded by how many operations it holds. Operations the checker
 * singles out are always drawn individually. Role segments are capped at {@link #MAX_SEGMENTS}
 * (merged by keeping each node's segments that are widest in time).
 */
final class TimelineModel {
  static final int MAX_LANES = 150;
  static final int MAX_OP_BARS = 20_000;
  static final int MAX_CELLS = 20_000;
  static final int MAX_SEGMENTS = 20_000;

  static final int OK = 0;
  static final int FAIL = 1;
  static final int INFO = 2;
  static final int NEVER_COMPLETED = 3;

  private TimelineModel() {}

  static Map<String, Object> build(RunDirectory run, RunVerdict verdict, FaultPalette palette) {
    List<Operation> ops = run.history().operations();
    Map<String, Object> data = new LinkedHashMap<>();
    double duration = Math.max(run.seconds(run.endNanos()), 1e-6);
    data.put("duration", duration);

    // Lanes.
    Map<Integer, long[]> lifetimes = new TreeMap<>();
    for (Operation op : ops) {
      long end = op.completeNanos() == Long.MAX_VALUE ? run.endNanos() : op.completeNanos();
      long[] life = lifetimes.computeIfAbsent(op.process(), p -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      life[0] = Math.min(life[0], op.invokeNanos());
      life[1] = Math.max(life[1], end);
    }
    Map<Integer, Integer> laneOf = new LinkedHashMap<>();
    List<List<Integer>> lanes = new ArrayList<>();
    if (lifetimes.size() <= MAX_LANES) {
      for (int p : lifetimes.keySet()) {
        laneOf.put(p, lanes.size());
        lanes.add(new ArrayList<>(List.of(p)));
      }
    } else {
      List<Integer> byStart = new ArrayList<>(lifetimes.keySet());
      byStart.sort((a, b) -> Long.compare(lifetimes.get(a)[0], lifetimes.get(b)[0]));
      List<Long> laneEnds = new ArrayList<>();
      for (int p : byStart) {
        long[] life = lifetimes.get(p);
        int chosen = -1;
        for (int i = 0; i < laneEnds.size(); i++) {
          if (laneEnds.get(i) < life[0]) {
            chosen = i;
            break;
          }
        }
        if (chosen < 0 && lanes.size() < MAX_LANES) {
          chosen = lanes.size();
          lanes.add(new ArrayList<>());
          laneEnds.add(Long.MIN_VALUE);
        }
        if (chosen < 0) {
          chosen = p % MAX_LANES; // overlap is unavoidable now; spread it evenly
        }
        lanes.get(chosen).add(p);
        laneEnds.set(chosen, Math.max(laneEnds.get(chosen), life[1]));
        laneOf.put(p, chosen);
      }
    }
    List<Map<String, Object>> laneData = new ArrayList<>();
    for (List<Integer> processes : lanes) {
      Map<String, Object> lane = new LinkedHashMap<>();
      lane.put("label", laneLabel(processes));
      lane.put("processes", processes.size() <= 50 ? processes : processes.subList(0, 50));
      lane.put("processCount", processes.size());
      laneData.add(lane);
    }
    data.put("lanes", laneData);
    data.put("packed", lifetimes.size() > lanes.size());

    // Operations, individually or binned.
    Set<Integer> highlighted = verdict.highlighted();
    Set<Integer> context = Set.copyOf(verdict.contextIds());
    boolean individual = ops.size() <= MAX_OP_BARS;
    data.put("mode", individual ? "ops" : "bins");
    List<Object[]> bars = new ArrayList<>();
    for (Operation op : ops) {
      if (individual || highlighted.contains(op.id()) || context.contains(op.id())) {
        int flag = op.id() == verdict.impossibleId() ? 2 : highlighted.contains(op.id()) ? 1
            : context.contains(op.id()) ? 3 : 0;
        bars.add(new Object[] {laneOf.get(op.process()), round(run.seconds(op.invokeNanos())),
            round(run.seconds(op.completeNanos())), outcomeCode(op), op.id(), opText(run, op), flag});
      }
    }
    data.put("ops", bars);
    if (!individual) {
      int binsPerLane = Math.max(50, Math.min(600, MAX_CELLS / Math.max(1, lanes.size())));
      double width = duration / binsPerLane;
      Map<Long, int[]> cells = new TreeMap<>();
      for (Operation op : ops) {
        int lane = laneOf.get(op.process());
        int bin = Math.min(binsPerLane - 1, (int) (run.seconds(op.invokeNanos()) / width));
        int[] counts = cells.computeIfAbsent((long) lane * binsPerLane + bin, k -> new int[3]);
        counts[Math.min(outcomeCode(op), INFO)]++;
      }
      List<int[]> cellData = new ArrayList<>(cells.size());
      for (var e : cells.entrySet()) {
        int[] c = e.getValue();
        cellData.add(new int[] {(int) (e.getKey() / binsPerLane), (int) (e.getKey() % binsPerLane), c[0], c[1], c[2]});
      }
      Map<String, Object> bins = new LinkedHashMap<>();
      bins.put("width", width);
      bins.put("cells", cellData);
      data.put("bins", bins);
    }
    int[] counts = new int[4];
    for (Operation op : ops) {
      counts[outcomeCode(op)]++;
    }
    data.put("counts", Map.of("ok", counts[OK], "fail", counts[FAIL], "info", counts[INFO],
        "neverCompleted", counts[NEVER_COMPLETED], "total", ops.size()));

    // Faults.
    List<Map<String, Object>> faults = new ArrayList<>();
    for (FaultInterval f : run.faults()) {
      Map<String, Object> fault = new LinkedHashMap<>();
      fault.put("start", round(run.seconds(f.startNanos())));
      fault.put("end", round(run.seconds(f.endNanos())));
      fault.put("fault", f.fault());
      fault.put("label", f.label());
      fault.put("detail", f.detail());
      fault.put("open", f.openEnded());
      fault.put("color", palette.hex(f.fault()));
      faults.add(fault);
    }
    data.put("faults", faults);

    // Node roles.
    List<Map<String, Object>> nodes = new ArrayList<>();
    int budget = MAX_SEGMENTS / Math.max(1, run.roles().size());
    for (var e : run.roles().entrySet()) {
      List<Object[]> segments = new ArrayList<>();
      for (RoleSegment s : thin(e.getValue(), budget)) {
        segments.add(new Object[] {round(run.seconds(s.startNanos())), round(run.seconds(s.endNanos())),
            s.role().name(), s.term(), s.commit()});
      }
      nodes.add(Map.of("node", e.getKey(), "segments", segments));
    }
    data.put("nodes", nodes);
    data.put("limits", Map.of("maxLanes", MAX_LANES, "maxOpBars", MAX_OP_BARS, "maxCells", MAX_CELLS));
    return data;
  }

  /** Keeps at most {@code budget} segments: the longest ones, each stretched to meet the next kept. */
  static List<RoleSegment> thin(List<RoleSegment> segments, int budget) {
    if (segments.size() <= budget) {
      return segments;
    }
    Integer[] order = new Integer[segments.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(length(segments.get(b)), length(segments.get(a))));
    boolean[] keep = new boolean[segments.size()];
    for (int i = 0; i < budget; i++) {
      keep[order[i]] = true;
    }
    keep[0] = true;
    List<RoleSegment> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      if (keep[i]) {
        int next = i + 1;
        while (next < segments.size() && !keep[next]) {
          next++;
        }
        RoleSegment s = segments.get(i);
        long end = next < segments.size() ? segments.get(next).startNanos() : s.endNanos();
        out.add(new RoleSegment(s.node(), s.role(), s.term(), s.commit(), s.startNanos(), end));
      }
    }
    return out;
  }

  private static long length(RoleSegment s) {
    return s.endNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : s.endNanos() - s.startNanos();
  }

  static int outcomeCode(Operation op) {
    if (op.completeNanos() == Long.MAX_VALUE) {
      return NEVER_COMPLETED;
    }
    return switch (op.outcome()) {
      case OK -> OK;
      case FAIL -> FAIL;
      case INFO -> INFO;
    };
  }

  private static String laneLabel(List<Integer> processes) {
    if (processes.size() == 1) {
      return "p" + processes.get(0);
    }
    String head = "p" + processes.get(0) + ",p" + processes.get(1);
    return processes.size() == 2 ? head : head + ",…(" + processes.size() + ")";
  }

  /** Hover text: the operation, its times and latency, and the node it went to. */
  static String opText(RunDirectory run, Operation op) {
    StringBuilder b = new StringBuilder(op.describe());
    b.append(String.format(Locale.ROOT, "  invoked %.6fs", run.seconds(op.invokeNanos())));
    if (op.completeNanos() == Long.MAX_VALUE) {
      b.append(", never completed");
    } else {
      b.append(String.format(Locale.ROOT, ", %s at %.6fs (%s)",
          op.outcome() == Outcome.INFO ? "info" : "done", run.seconds(op.completeNanos()),
          RunCharts.formatSeconds((op.completeNanos() - op.invokeNanos()) / 1e9)));
    }
    if (op.node() != null) {
      b.append(", via ").append(op.node());
    }
    if (op.line() > 0) {
      b.append(", history line ").append(op.line());
    }
    return b.toString();
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1e9) / 1e9;
  }
}
