package io.raftlab.checker.parse;

import io.raftlab.checker.history.HistoryBuilder;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns Jepsen-vocabulary events (shared by the text-log and EDN parsers) into builder calls. */
final class JepsenEvents {
  private JepsenEvents() {}

  static void add(HistoryBuilder builder, int process, String type, String f, Object value, long time,
      String key, String node, String source, int line, int column) throws HistoryParseException {
    OpFunction function = OpFunction.fromWireName(f);
    if (function == null) {
      throw new HistoryParseException(source, line, column,
          "function :" + f + " is not supported; allowed: :read, :write, :cas, :delete");
    }
    try {
      switch (type) {
        case "invoke" -> {
          Object written = null;
          Object expected = null;
          if (function == OpFunction.CAS) {
            if (!(value instanceof List<?> pair) || pair.size() != 2) {
              throw new HistoryParseException(source, line, column,
                  "a :cas invoke needs a value [expected new], found " + value);
            }
            expected = pair.get(0);
            written = pair.get(1);
          } else if (function == OpFunction.WRITE) {
            written = value;
          }
          builder.invoke(process, function, key, written, expected, time, node, line);
        }
        case "ok" -> builder.complete(process, function, Outcome.OK, value, time);
        case "fail" -> builder.complete(process, function, Outcome.FAIL, null, time);
        case "info" -> {
          // Jepsen logs :info for a crashed client; an :info with nothing open is a nemesis-style note.
          if (builder.isOpen(process)) {
            builder.complete(process, function, Outcome.INFO, null, time);
          }
        }
        default -> throw new HistoryParseException(source, line, column,
            "type :" + type + " is not one of :invoke, :ok, :fail, :info");
      }
    } catch (IllegalStateException e) {
      throw new HistoryParseException(source, line, column, e.getMessage());
    }
  }

  /** EDN values to plain Java values: keywords and symbols become their printed text. */
  static Object fromEdn(Object edn) {
    if (edn instanceof EdnReader.Keyword || edn instanceof EdnReader.Symbol) {
      return edn.toString();
    }
    if (edn instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(fromEdn(item));
      }
      return Collections.unmodifiableList(out);
    }
    if (edn instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(fromEdn(k), fromEdn(v)));
      return Collections.unmodifiableMap(out);
    }
    if (edn instanceof Set<?> set) {
      return set;
    }
    return edn;
  }
}
