package io.raftlab.checker.parse;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.HistoryBuilder;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Reads Knossos/Jepsen EDN histories: either one vector/list of event maps, or a sequence of
 * top-level event maps (one per line, as Jepsen's history.edn). Each event looks like
 *
 * <pre>{:process 0, :type :invoke, :f :write, :value 3, :time 123}</pre>
 *
 * <p>{@code :time} is optional (the event's position is used instead); an optional {@code :key}
 * names the key, and {@code :node} the node. Events of non-integer processes (the nemesis) are
 * skipped.
 */
public final class EdnHistoryParser implements HistoryParser {
  private static final EdnReader.Keyword PROCESS = new EdnReader.Keyword("process");
  private static final EdnReader.Keyword TYPE = new EdnReader.Keyword("type");
  private static final EdnReader.Keyword F = new EdnReader.Keyword("f");
  private static final EdnReader.Keyword VALUE = new EdnReader.Keyword("value");
  private static final EdnReader.Keyword TIME = new EdnReader.Keyword("time");
  private static final EdnReader.Keyword KEY = new EdnReader.Keyword("key");
  private static final EdnReader.Keyword NODE = new EdnReader.Keyword("node");

  @Override
  public History parse(String source, Reader reader) throws IOException, HistoryParseException {
    StringWriter all = new StringWriter();
    reader.transferTo(all);
    EdnReader edn = new EdnReader(all.toString());
    HistoryBuilder builder = new HistoryBuilder(source);
    long[] position = {0};
    try {
      while (!edn.atEnd()) {
        int line = edn.line();
        int column = edn.column();
        Object form = edn.read();
        if (form instanceof List<?> events) {
          // One vector of events: positions of items are not tracked, so name the item index.
          int index = 0;
          for (Object event : events) {
            addEvent(builder, event, source, line, column, "event #" + index++ + " of the vector: ", position);
          }
        } else {
          addEvent(builder, form, source, line, column, "", position);
        }
      }
    } catch (EdnReader.EdnSyntaxException e) {
      throw new HistoryParseException(source, e.line(), e.column(), "EDN syntax: " + e.getMessage());
    }
    return builder.build();
  }

  private static void addEvent(HistoryBuilder builder, Object form, String source, int line, int column,
      String where, long[] position) throws HistoryParseException {
    long index = position[0]++;
    if (!(form instanceof Map<?, ?> event)) {
      throw new HistoryParseException(source, line, column, where + "expected an event map {...}, found " + form);
    }
    Object process = event.get(PROCESS);
    if (!(process instanceof Long p)) {
      if (process instanceof EdnReader.Keyword) {
        return; // :nemesis and other non-client processes
      }
      throw new HistoryParseException(source, line, column, where + ":process must be an integer, found " + process);
    }
    if (!(event.get(TYPE) instanceof EdnReader.Keyword type)) {
      throw new HistoryParseException(source, line, column, where + ":type must be a keyword, found " + event.get(TYPE));
    }
    if (!(event.get(F) instanceof EdnReader.Keyword f)) {
      throw new HistoryParseException(source, line, column, where + ":f must be a keyword, found " + event.get(F));
    }
    Object time = event.get(TIME);
    long t;
    if (time == null) {
      t = index;
    } else if (time instanceof Long l) {
      t = l;
    } else {
      throw new HistoryParseException(source, line, column, where + ":time must be an integer, found " + time);
    }
    Object key = event.get(KEY);
    Object node = event.get(NODE);
    try {
      JepsenEvents.add(builder, Math.toIntExact(p), type.name(), f.name(), JepsenEvents.fromEdn(event.get(VALUE)), t,
          key == null ? "" : String.valueOf(JepsenEvents.fromEdn(key)),
          node == null ? null : String.valueOf(JepsenEvents.fromEdn(node)), source, line, column);
    } catch (HistoryParseException e) {
      if (where.isEmpty()) {
        throw e;
      }
      throw new HistoryParseException(source, line, column, where + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    } catch (ArithmeticException e) {
      throw new HistoryParseException(source, line, column, where + ":process " + p + " is out of int range");
    }
  }
}
