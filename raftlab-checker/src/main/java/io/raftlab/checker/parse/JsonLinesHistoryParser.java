package io.raftlab.checker.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftlab.checker.history.History;
import io.raftlab.checker.history.HistoryBuilder;
import io.raftlab.checker.history.OpFunction;
import io.raftlab.checker.history.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads raftlab JSON Lines histories: one event per line,
 *
 * <pre>{"process":3,"type":"invoke","f":"cas","key":"k1","value":[1,2],"time":1234,"node":"n2"}</pre>
 *
 * <p>{@code type} is invoke|ok|fail|info, {@code f} is read|write|cas|delete, {@code time} is in
 * nanoseconds. A missing {@code key} means the single register "". A CAS's invoke value is
 * {@code [expected, new]}; a read's ok value is the value read (null = absent). Unknown fields
 * (e.g. {@code index}) are ignored; blank lines are skipped.
 */
public final class JsonLinesHistoryParser implements HistoryParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public History parse(String source, Reader reader) throws IOException, HistoryParseException {
    HistoryBuilder builder = new HistoryBuilder(source);
    BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String text;
    int lineNo = 0;
    while ((text = lines.readLine()) != null) {
      lineNo++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode event;
      try {
        event = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        throw new HistoryParseException(source, lineNo, column, "not valid JSON: " + e.getOriginalMessage());
      }
      if (event == null || !event.isObject()) {
        throw new HistoryParseException(source, lineNo, 1, "expected a JSON object per line");
      }
      addEvent(builder, event, source, lineNo);
    }
    return builder.build();
  }

  private static void addEvent(HistoryBuilder builder, JsonNode event, String source, int line) throws HistoryParseException {
    JsonNode processNode = event.get("process");
    if (processNode == null || !processNode.canConvertToInt() || !processNode.isIntegralNumber()) {
      throw new HistoryParseException(source, line, 0, "field \"process\" must be an integer, found " + processNode);
    }
    int process = processNode.intValue();
    String type = text(event, "type", source, line);
    String f = text(event, "f", source, line);
    OpFunction function = OpFunction.fromWireName(f);
    if (function == null) {
      throw new HistoryParseException(source, line, 0, "field \"f\" is \"" + f + "\"; allowed: read, write, cas, delete");
    }
    JsonNode timeNode = event.get("time");
    if (timeNode == null || !timeNode.isIntegralNumber() || !timeNode.canConvertToLong()) {
      throw new HistoryParseException(source, line, 0, "field \"time\" must be an integer (nanoseconds), found " + timeNode);
    }
    long time = timeNode.longValue();
    JsonNode keyNode = event.get("key");
    String key = keyNode == null || keyNode.isNull() ? "" : keyNode.isTextual() ? keyNode.textValue() : keyNode.toString();
    JsonNode nodeNode = event.get("node");
    String node = nodeNode == null || nodeNode.isNull() ? null : nodeNode.asText();
    Object value = toValue(event.get("value"));
    try {
      switch (type) {
        case "invoke" -> {
          Object written = null;
          Object expected = null;
          if (function == OpFunction.CAS) {
            if (!(value instanceof List<?> pair) || pair.size() != 2) {
              throw new HistoryParseException(source, line, 0,
                  "a cas invoke needs \"value\": [expected, new], found " + event.get("value"));
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
        case "info" -> builder.complete(process, function, Outcome.INFO, null, time);
        default -> throw new HistoryParseException(source, line, 0,
            "field \"type\" is \"" + type + "\"; allowed: invoke, ok, fail, info");
      }
    } catch (IllegalStateException e) {
      throw new HistoryParseException(source, line, 0, e.getMessage());
    }
  }

  private static String text(JsonNode event, String field, String source, int line) throws HistoryParseException {
    JsonNode node = event.get(field);
    if (node == null || !node.isTextual()) {
      throw new HistoryParseException(source, line, 0, "field \"" + field + "\" must be a string, found " + node);
    }
    return node.textValue();
  }

  /** JSON to plain Java values: integers become Long so they compare equal across formats. */
  static Object toValue(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        list.add(toValue(item));
      }
      return Collections.unmodifiableList(list);
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), toValue(e.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }
}
