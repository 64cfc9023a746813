package io.raftlab.checker.parse;

import io.raftlab.checker.history.History;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The history file formats, and detection of a file's format from its name and content. */
public enum HistoryFormat {
  AUTO,
  JSONL,
  JEPSEN,
  EDN;

  public HistoryParser parser() {
    return switch (this) {
      case JSONL -> new JsonLinesHistoryParser();
      case JEPSEN -> new JepsenLogHistoryParser();
      case EDN -> new EdnHistoryParser();
      case AUTO -> throw new IllegalStateException("AUTO has no parser; call detect() first");
    };
  }

  /** Reads {@code file} in this format ({@link #AUTO} detects it first). */
  public History read(Path file) throws IOException, HistoryParseException {
    HistoryFormat format = this == AUTO ? detect(file) : this;
    return format.parser().parse(file);
  }

  /**
   * Detects the format: by extension (.jsonl/.ndjson, .edn), else by the first non-blank line
   * ({"... is JSON Lines, [ ( or {: is EDN), else a Jepsen text log.
   */
  public static HistoryFormat detect(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    if (name.endsWith(".edn")) {
      return EDN;
    }
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          return detectFromFirstLine(line);
        }
      }
    }
    return JSONL;
  }

  static HistoryFormat detectFromFirstLine(String line) {
    String t = line.strip();
    if (t.startsWith("{")) {
      String rest = t.substring(1).stripLeading();
      return rest.startsWith("\"") || rest.startsWith("}") ? JSONL : EDN;
    }
    if (t.startsWith("[") || t.startsWith("(") || t.startsWith(";")) {
      return EDN;
    }
    return JEPSEN;
  }
}
