package io.raftlab.core.interaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command line of a script ({@code > name arg key=value ...}), with where it came from so
 * that every complaint about it can name the file and line.
 */
record ScriptCommand(String file, int line, String text, String name, List<String> tokens) {

  static ScriptCommand parse(String file, int line, String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new ScriptException(file + ":" + line + ": '>' is not followed by a command");
    }
    List<String> parts = new ArrayList<>(Arrays.asList(trimmed.split("\\s+")));
    String name = parts.remove(0);
    return new ScriptCommand(file, line, trimmed, name, List.copyOf(parts));
  }

  /** An error that names the file, line, command and the offending thing. */
  ScriptException error(String what) {
    return new ScriptException(file + ":" + line + ": " + name + ": " + what + "\n    > " + text);
  }

  /**
   * Splits the tokens into positional arguments and {@code key=value} options; a key outside
   * {@code allowed} is an error that lists the allowed keys.
   */
  Arguments arguments(Set<String> allowed) {
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (String t : tokens) {
      int eq = t.indexOf('=');
      if (eq < 0) {
        positional.add(t);
        continue;
      }
      String key = t.substring(0, eq);
      if (!allowed.contains(key)) {
        throw error("unknown option '" + key + "'" + (allowed.isEmpty() ? " (this command takes none)" : " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
      }
      if (options.put(key, t.substring(eq + 1)) != null) {
        throw error("option '" + key + "' is given twice");
      }
    }
    return new Arguments(this, List.copyOf(positional), options);
  }

  /** Parsed arguments of one command, with checked conversions. */
  record Arguments(ScriptCommand command, List<String> positional, Map<String, String> options) {

    void expectCount(int min, int max, String usage) {
      int n = positional.size();
      if (n < min || n > max) {
        throw command.error("expected " + (min == max ? String.valueOf(min) : min + ".." + max)
            + " argument(s), got " + n + "; usage: " + usage);
      }
    }

    String get(int i) {
      return positional.get(i);
    }

    long number(String text, String what, long min, long max) {
      long v;
      try {
        v = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw command.error(what + " '" + text + "' is not a number (allowed: " + min + ".." + max + ")");
      }
      if (v < min || v > max) {
        throw command.error(what + " " + v + " is out of range (allowed: " + min + ".." + max + ")");
      }
      return v;
    }

    long option(String key, long dflt, long min, long max) {
      String v = options.get(key);
      return v == null ? dflt : number(v, key, min, max);
    }

    boolean flag(String key, boolean dflt) {
      String v = options.get(key);
      if (v == null) {
        return dflt;
      }
      return switch (v) {
        case "true" -> true;
        case "false" -> false;
        default -> throw command.error(key + " '" + v + "' must be true or false");
      };
    }
  }
}
