package io.raftlab.checker.history;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders history values the way Jepsen prints them (nil, numbers, strings, [a b]). */
public final class Values {
  private Values() {}

  public static String render(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String s) {
      return '"' + s + '"';
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Values::render).collect(Collectors.joining(" ", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(e -> render(e.getKey()) + " " + render(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return value.toString();
  }
}
