package io.raftlab.chaos.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftlab.checker.history.History;
import io.raftlab.checker.history.Operation;
import io.raftlab.checker.parse.HistoryParseException;
import io.raftlab.checker.parse.JsonLinesHistoryParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a chaos or simulation run leaves behind, read and validated.
 *
 * <h2>Run directory layout</h2>
 *
 * All times are integers in nanoseconds on one clock shared by every file; only differences
 * matter (the report shows seconds since the earliest event of any file). JSON Lines files hold one
 * JSON object per line; blank lines are ignored; unknown fields are ignored.
 *
 * <dl>
 *   <dt>{@code history.jsonl} (required)
 *   <dd>One client event per line, in Jepsen's vocabulary:
 *       <pre>{"process":3,"type":"invoke","f":"cas","key":"k1","value":[1,2],"time":1234,"node":"n2"}</pre>
 *       {@code process} is an integer client id; each process has at most one operation in flight.
 *       {@code type} is {@code invoke|ok|fail|info}: an invoke opens an operation, the next
 *       ok/fail/info event of the same process completes it (ok = took effect, fail = did not, info
 *       = unknown). {@code f} is {@code read|write|cas|delete}. {@code key} is a string (absent =
 *       the single register). {@code value}: a write's value; a cas's {@code [expected, new]}; an
 *       ok read's value read ({@code null} = absent). {@code node} (optional) names the node the
 *       client talked to. An invoke never completed counts as info.
 *   <dt>{@code nemesis.jsonl} (optional)
 *   <dd>One fault event per line:
 *       <pre>{"time":5000000000,"type":"start","fault":"partition","nodes":["n1","n2"],"detail":"n1,n2 | n3,n4,n5"}</pre>
 *       {@code type} is {@code start|stop}; {@code fault} is free text ({@code kill}, {@code pause},
 *       {@code partition}, {@code block}, {@code delay}, ...); {@code nodes} is a list of node names
 *       (may be empty); {@code detail} is optional free text. A stop ends the open start of the same
 *       fault on the same nodes; a stop with no nodes (or with a superset of their nodes) ends every
 *       open start of that fault. A start never stopped lasts to the end of the run. A stop that
 *       ends nothing is an error.
 *   <dt>{@code states.jsonl} (optional)
 *   <dd>Node state samples:
 *       <pre>{"time":7000000000,"node":"n1","role":"LEADER","term":3,"commit":10}</pre>
 *       {@code role} is {@code LEADER|FOLLOWER|CANDIDATE|PRE_CANDIDATE|DOWN} (case-insensitive);
 *       {@code term} and {@code commit} are optional integers. A sample holds until the node's next
 *       sample.
 *   <dt>{@code results.json} (optional)
 *   <dd>A JSON object the run writes as its own summary (free form); the report shows its
 *       top-level fields as a table (nested values as compact JSON).
 *   <dt>{@code plan.txt}, {@code script.txt} (optional)
 *   <dd>The fault plan or scenario script of the run, shown verbatim.
 * </dl>
 *
 * The report itself is written to {@code report.html} in the same directory.
 */
public final class RunDirectory {
  public static final String HISTORY = "history.jsonl";
  public static final String NEMESIS = "nemesis.jsonl";
  public static final String STATES = "states.jsonl";
  public static final String RESULTS = "results.json";
  public static final List<String> TEXT_FILES = List.of("plan.txt", "script.txt");
  public static final String REPORT = "report.html";

  private final Path dir;
  private final History history;
  private final List<FaultInterval> faults;
  private final Map<String, List<RoleSegment>> roles;
  private final JsonNode results;
  private final Map<String, String> texts;
  private final long startNanos;
  private final long endNanos;

  private RunDirectory(Path dir, History history, List<FaultInterval> faults, Map<String, List<RoleSegment>> roles,
      JsonNode results, Map<String, String> texts) {
    this.dir = dir;
    this.history = history;
    this.faults = List.copyOf(faults);
    this.roles = roles;
    this.results = results;
    this.texts = texts;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (Operation op : history.operations()) {
      start = Math.min(start, op.invokeNanos());
      end = Math.max(end, op.completeNanos() == Long.MAX_VALUE ? op.invokeNanos() : op.completeNanos());
    }
    for (FaultInterval f : faults) {
      start = Math.min(start, f.startNanos());
      end = Math.max(end, f.openEnded() ? f.startNanos() : f.endNanos());
    }
    for (List<RoleSegment> segments : roles.values()) {
      for (RoleSegment s : segments) {
        start = Math.min(start, s.startNanos());
        end = Math.max(end, s.endNanos() == Long.MAX_VALUE ? s.startNanos() : s.endNanos());
      }
    }
    this.startNanos = start;
    this.endNanos = end;
  }

  /** Reads and validates {@code dir}; the exception names the missing file or the bad line. */
  public static RunDirectory read(Path dir) throws BadRunDirectoryException {
    if (!Files.isDirectory(dir)) {
      throw new BadRunDirectoryException(dir, 0, "is not a directory");
    }
    Path historyFile = dir.resolve(HISTORY);
    if (!Files.isRegularFile(historyFile)) {
      throw new BadRunDirectoryException(historyFile, 0, "is missing (every run directory needs its client history)");
    }
    History history;
    try {
      history = new JsonLinesHistoryParser().parse(historyFile);
    } catch (HistoryParseException e) {
      throw new BadRunDirectoryException(historyFile, e.line(), problemOf(e), e);
    } catch (IOException e) {
      throw new BadRunDirectoryException(historyFile, 0, "cannot be read: " + e.getMessage(), e);
    }
    if (history.size() == 0) {
      throw new BadRunDirectoryException(historyFile, 0, "holds no client events");
    }
    Path nemesisFile = dir.resolve(NEMESIS);
    List<FaultInterval> faults = Files.isRegularFile(nemesisFile) ? NemesisLog.read(nemesisFile) : List.of();
    Path statesFile = dir.resolve(STATES);
    Map<String, List<RoleSegment>> roles = Files.isRegularFile(statesFile) ? StateLog.read(statesFile) : Map.of();
    JsonNode results = null;
    Path resultsFile = dir.resolve(RESULTS);
    if (Files.isRegularFile(resultsFile)) {
      try {
        results = JsonLinesFile.JSON.readTree(resultsFile.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        throw new BadRunDirectoryException(resultsFile, line, "not valid JSON: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new BadRunDirectoryException(resultsFile, 0, "cannot be read: " + e.getMessage(), e);
      }
      if (results == null || !results.isObject()) {
        throw new BadRunDirectoryException(resultsFile, 1, "must hold one JSON object (a map of summary fields)");
      }
    }
    Map<String, String> texts = new LinkedHashMap<>();
    for (String name : TEXT_FILES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          texts.put(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new BadRunDirectoryException(file, 0, "cannot be read as UTF-8 text: " + e.getMessage(), e);
        }
      }
    }
    return new RunDirectory(dir, history, faults, roles, results, texts);
  }

  /** The parser's message without its "file:line:col: " prefix, which our exception adds itself. */
  private static String problemOf(HistoryParseException e) {
    String message = e.getMessage();
    String prefix = e.source() + ":" + e.line() + (e.column() > 0 ? ":" + e.column() : "") + ": ";
    String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return e.column() > 0 ? "column " + e.column() + ": " + problem : problem;
  }

  public Path dir() {
    return dir;
  }

  public History history() {
    return history;
  }

  /** Faults in start order. */
  public List<FaultInterval> faults() {
    return faults;
  }

  /** Role segments per node (node names sorted); empty when states.jsonl is absent. */
  public Map<String, List<RoleSegment>> roles() {
    return roles;
  }

  /** The results.json object, or null when absent. */
  public JsonNode results() {
    return results;
  }

  /** plan.txt / script.txt contents by file name, for those present. */
  public Map<String, String> texts() {
    return texts;
  }

  /** Earliest time in any file: the report's zero. */
  public long startNanos() {
    return startNanos;
  }

  /** Latest known time in any file: where open-ended bars and faults stop. */
  public long endNanos() {
    return endNanos;
  }

  /** Seconds since {@link #startNanos()}, clamping "never" to the end of the run. */
  public double seconds(long nanos) {
    long t = nanos == Long.MAX_VALUE ? endNanos : nanos;
    return (t - startNanos) / 1e9;
  }
}
