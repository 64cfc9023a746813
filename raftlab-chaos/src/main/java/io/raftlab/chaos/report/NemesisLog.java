package io.raftlab.chaos.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads nemesis.jsonl and pairs each fault's start event with its stop event. */
final class NemesisLog {
  private static final Set<String> TYPES = Set.of("start", "stop");

  private NemesisLog() {}

  private record Event(int line, long time, boolean start, String fault, List<String> nodes, String detail) {}

  static List<FaultInterval> read(Path file) throws BadRunDirectoryException {
    List<Event> events =
        JsonLinesFile.read(
            file,
            l -> {
              String type = l.requiredChoice("type", new TreeSet<>(TYPES));
              String fault = l.requiredText("fault");
              if (fault.isBlank()) {
                throw l.error("field \"fault\" is empty");
              }
              return new Event(l.number(), l.requiredLong("time"), type.equals("start"), fault,
                  l.textList("nodes"), l.optionalText("detail"));
            });
    return pair(file, events);
  }

  /**
   * A stop closes the open start of the same fault on the same node set; a stop naming no nodes, or
   * naming a superset of several open starts' nodes, closes all of them (e.g. "heal" after several
   * partitions). A stop that closes nothing is an error: it usually means a mistyped fault name.
   */
  private static List<FaultInterval> pair(Path file, List<Event> events) throws BadRunDirectoryException {
    List<Event> open = new ArrayList<>();
    List<FaultInterval> done = new ArrayList<>();
    for (Event e : events) {
      if (e.start()) {
        open.add(e);
        continue;
      }
      List<Event> closing = new ArrayList<>();
      for (Event o : open) {
        if (o.fault().equals(e.fault()) && new TreeSet<>(o.nodes()).equals(new TreeSet<>(e.nodes()))) {
          closing.add(o);
          break;
        }
      }
      if (closing.isEmpty()) {
        for (Event o : open) {
          if (o.fault().equals(e.fault()) && (e.nodes().isEmpty() || e.nodes().containsAll(o.nodes()))) {
            closing.add(o);
          }
        }
      }
      if (closing.isEmpty()) {
        throw new BadRunDirectoryException(file, e.line(),
            "stop of fault \"" + e.fault() + "\" on " + e.nodes() + " matches no earlier start still open");
      }
      for (Event o : closing) {
        if (e.time() < o.time()) {
          throw new BadRunDirectoryException(file, e.line(),
              "stop of fault \"" + e.fault() + "\" at time " + e.time() + " is before its start at line "
                  + o.line() + " (time " + o.time() + ")");
        }
        String detail = o.detail() == null ? "" : o.detail();
        if (e.detail() != null && !e.detail().isBlank()) {
          detail = detail.isBlank() ? e.detail() : detail + " / " + e.detail();
        }
        done.add(new FaultInterval(o.fault(), o.nodes(), detail, o.time(), e.time(), o.line()));
        open.remove(o);
      }
    }
    for (Event o : open) {
      done.add(new FaultInterval(o.fault(), o.nodes(), o.detail(), o.time(), Long.MAX_VALUE, o.line()));
    }
    done.sort(Comparator.comparingLong(FaultInterval::startNanos).thenComparingInt(FaultInterval::startLine));
    return done;
  }
}
