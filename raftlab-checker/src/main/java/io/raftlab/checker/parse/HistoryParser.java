package io.raftlab.checker.parse;

import io.raftlab.checker.history.History;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads one history format. */
public interface HistoryParser {

  /** Parses a history; {@code source} names it in error messages. */
  History parse(String source, Reader reader) throws IOException, HistoryParseException;

  default History parse(Path file) throws IOException, HistoryParseException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file.toString(), reader);
    }
  }

  default History parse(String source, String text) throws HistoryParseException {
    try {
      return parse(source, new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
  }
}
