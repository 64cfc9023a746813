package io.raftlab.chaos.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Reads a JSON Lines file of a run directory: one JSON object per line, blank lines ignored. Field
 * accessors turn a wrong or missing field into a {@link BadRunDirectoryException} naming the file,
 * the line and the field.
 */
final class JsonLinesFile {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Turns one parsed line into a value. */
  interface LineParser<T> {
    T parse(Line line) throws BadRunDirectoryException;
  }

  private JsonLinesFile() {}

  static <T> List<T> read(Path file, LineParser<T> parser) throws BadRunDirectoryException {
    List<T> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int number = 0;
      while ((text = reader.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new BadRunDirectoryException(
              file, number, "not valid JSON (" + e.getOriginalMessage() + " at column "
                  + e.getLocation().getColumnNr() + "): " + abbreviate(text));
        }
        if (node == null || !node.isObject()) {
          throw new BadRunDirectoryException(file, number, "expected one JSON object per line, got: " + abbreviate(text));
        }
        out.add(parser.parse(new Line(file, number, node)));
      }
    } catch (IOException e) {
      throw new BadRunDirectoryException(file, 0, "cannot be read: " + e.getMessage(), e);
    }
    return out;
  }

  static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }

  /** One JSON object of the file, with its position for error messages. */
  record Line(Path file, int number, JsonNode json) {

    BadRunDirectoryException error(String problem) {
      return new BadRunDirectoryException(file, number, problem);
    }

    long requiredLong(String field) throws BadRunDirectoryException {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        throw error("missing field \"" + field + "\" (an integer)");
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw error("field \"" + field + "\" must be an integer, got " + v);
      }
      return v.longValue();
    }

    long optionalLong(String field, long absent) throws BadRunDirectoryException {
      JsonNode v = json.get(field);
      return v == null || v.isNull() ? absent : requiredLong(field);
    }

    String requiredText(String field) throws BadRunDirectoryException {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        throw error("missing field \"" + field + "\" (a string)");
      }
      if (!v.isTextual()) {
        throw error("field \"" + field + "\" must be a string, got " + v);
      }
      return v.textValue();
    }

    String optionalText(String field) throws BadRunDirectoryException {
      JsonNode v = json.get(field);
      return v == null || v.isNull() ? null : requiredText(field);
    }

    /** A lower-case string field whose value must be one of {@code allowed}. */
    String requiredChoice(String field, Collection<String> allowed) throws BadRunDirectoryException {
      String v = requiredText(field);
      String lower = v.toLowerCase(Locale.ROOT);
      if (!allowed.contains(lower)) {
        throw error("field \"" + field + "\" is \"" + v + "\"; allowed: " + String.join("|", allowed));
      }
      return lower;
    }

    List<String> textList(String field) throws BadRunDirectoryException {
      JsonNode v = json.get(field);
      List<String> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (v.isTextual()) {
        out.add(v.textValue());
        return out;
      }
      if (!v.isArray()) {
        throw error("field \"" + field + "\" must be a list of strings, got " + v);
      }
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          throw error("field \"" + field + "\" must be a list of strings, got element " + item);
        }
        out.add(item.textValue());
      }
      return out;
    }
  }
}
