package io.raftlab.server.config;

import java.util.function.Function;

/** One runtime parameter: its name (YAML key and {@code --flag}), default, meaning and parser. */
public record Parameter(String name, String defaultValue, String description, Function<String, Object> parser) {

  Object parse(String raw) {
    try {
      return parser.apply(raw.trim());
    } catch (ServerConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ServerConfigException(name + ": cannot use '" + raw + "': " + e.getMessage());
    }
  }

  static Function<String, Object> longIn(String name, long min, long max) {
    return raw -> {
      long v;
      try {
        v = parseSize(raw);
      } catch (NumberFormatException e) {
        throw new ServerConfigException(name + ": '" + raw + "' is not a number (allowed " + min + ".." + max + ")");
      }
      if (v < min || v > max) {
        throw new ServerConfigException(name + ": " + v + " is out of range (allowed " + min + ".." + max + ")");
      }
      return v;
    };
  }

  static Function<String, Object> bool(String name) {
    return raw -> switch (raw.toLowerCase()) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new ServerConfigException(name + ": '" + raw + "' is not true or false");
    };
  }

  static Function<String, Object> oneOf(String name, String... allowed) {
    return raw -> {
      for (String a : allowed) {
        if (a.equalsIgnoreCase(raw)) {
          return a;
        }
      }
      throw new ServerConfigException(name + ": '" + raw + "' is not one of " + String.join(", ", allowed));
    };
  }

  /** Accepts plain numbers and the suffixes k, m, g (powers of 1024) for sizes. */
  static long parseSize(String raw) {
    String s = raw.toLowerCase().replace("_", "");
    long mult = 1;
    if (s.endsWith("kib") || s.endsWith("k")) {
      mult = 1024;
    } else if (s.endsWith("mib") || s.endsWith("m")) {
      mult = 1024 * 1024;
    } else if (s.endsWith("gib") || s.endsWith("g")) {
      mult = 1024L * 1024 * 1024;
    }
    s = s.replaceAll("[a-z]+$", "");
    return Long.parseLong(s) * mult;
  }
}
