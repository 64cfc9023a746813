package io.raftlab.chaos.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reads states.jsonl and merges consecutive equal samples of each node into {@link RoleSegment}s. */
final class StateLog {
  private StateLog() {}

  private record Sample(long time, String node, NodeRole role, long term, long commit) {}

  /** Segments per node, nodes in name order, segments in time order. */
  static Map<String, List<RoleSegment>> read(Path file) throws BadRunDirectoryException {
    String allowed = String.join("|", Arrays.stream(NodeRole.values()).map(Enum::name).toList());
    List<Sample> samples =
        JsonLinesFile.read(
            file,
            l -> {
              String node = l.requiredText("node");
              String roleText = l.requiredText("role");
              NodeRole role;
              try {
                role = NodeRole.valueOf(roleText.toUpperCase(Locale.ROOT).replace('-', '_'));
              } catch (IllegalArgumentException e) {
                throw l.error("field \"role\" is \"" + roleText + "\"; allowed: " + allowed);
              }
              return new Sample(l.requiredLong("time"), node, role,
                  l.optionalLong("term", -1), l.optionalLong("commit", -1));
            });
    Map<String, List<Sample>> byNode = new TreeMap<>();
    for (Sample s : samples) {
      byNode.computeIfAbsent(s.node(), n -> new ArrayList<>()).add(s);
    }
    Map<String, List<RoleSegment>> out = new LinkedHashMap<>();
    for (var entry : byNode.entrySet()) {
      List<Sample> list = entry.getValue();
      list.sort(Comparator.comparingLong(Sample::time));
      List<RoleSegment> segments = new ArrayList<>();
      Sample first = null;
      long commit = -1;
      for (Sample s : list) {
        if (first != null && (s.role() != first.role() || s.term() != first.term())) {
          segments.add(new RoleSegment(first.node(), first.role(), first.term(), commit, first.time(), s.time()));
          first = null;
        }
        if (first == null) {
          first = s;
          commit = -1;
        }
        commit = Math.max(commit, s.commit());
      }
      segments.add(new RoleSegment(first.node(), first.role(), first.term(), commit, first.time(), Long.MAX_VALUE));
      out.put(entry.getKey(), segments);
    }
    return out;
  }
}
