package io.raftlab.checker.parse;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the subset of EDN that Jepsen and Knossos histories use: maps, vectors, lists, sets,
 * keywords, symbols, integers, decimals, strings, characters-free text, nil, true and false.
 * Commas are whitespace, {@code ;} starts a comment and {@code #_} discards the next form.
 *
 * <p>Keywords are returned as {@link Keyword}, symbols as {@link Symbol}, integers as {@code
 * Long} (or {@code BigInteger} when too large), vectors and lists as {@code List}, maps as an
 * insertion-ordered {@code Map}.
 */
public final class EdnReader {

  /** An EDN keyword such as {@code :invoke}; {@code name} excludes the colon. */
  public record Keyword(String name) {
    @Override
    public String toString() {
      return ":" + name;
    }
  }

  /** An EDN symbol such as {@code foo}. */
  public record Symbol(String name) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A syntax error at a 1-based line and column of the input. */
  public static final class EdnSyntaxException extends Exception {
    private final int line;
    private final int column;

    EdnSyntaxException(int line, int column, String problem) {
      super(problem);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  private static final Object END = new Object();
  private static final Object DISCARDED = new Object();

  private final String text;
  private final int firstLine;
  private final int firstColumn;
  private int pos;
  private int line;
  private int lineStart;

  /** Reads {@code text}; positions are reported relative to {@code firstLine}/{@code firstColumn}. */
  public EdnReader(String text, int firstLine, int firstColumn) {
    this.text = text;
    this.firstLine = firstLine;
    this.firstColumn = firstColumn;
    this.line = firstLine;
    this.lineStart = 0;
  }

  public EdnReader(String text) {
    this(text, 1, 1);
  }

  /** Line of the next unread character. */
  public int line() {
    return line;
  }

  /** Column of the next unread character. */
  public int column() {
    return pos - lineStart + (line == firstLine ? firstColumn : 1);
  }

  /** True when only whitespace and comments remain. */
  public boolean atEnd() {
    skipWhitespace();
    return pos >= text.length();
  }

  /** Reads the next form; throws if the input ends first. */
  public Object read() throws EdnSyntaxException {
    Object form = readForm();
    if (form == END) {
      throw error("unexpected end of input, expected a value");
    }
    return form;
  }

  private EdnSyntaxException error(String problem) {
    return new EdnSyntaxException(line, column(), problem);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (Character.isWhitespace(c) || c == ',') {
        pos++;
      } else if (c == ';') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Object readForm() throws EdnSyntaxException {
    while (true) {
      Object form = readFormOrDiscard();
      if (form != DISCARDED) {
        return form;
      }
    }
  }

  private Object readFormOrDiscard() throws EdnSyntaxException {
    skipWhitespace();
    if (pos >= text.length()) {
      return END;
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        pos++;
        return readMap();
      case '[':
        pos++;
        return Collections.unmodifiableList(readSequence(']'));
      case '(':
        pos++;
        return Collections.unmodifiableList(readSequence(')'));
      case '"':
        pos++;
        return readString();
      case ':':
        pos++;
        String name = readToken();
        if (name.isEmpty()) {
          throw error("a keyword needs a name after ':'");
        }
        return new Keyword(name);
      case '#':
        pos++;
        if (pos < text.length() && text.charAt(pos) == '{') {
          pos++;
          Set<Object> set = new LinkedHashSet<>(readSequence('}'));
          return Collections.unmodifiableSet(set);
        }
        if (pos < text.length() && text.charAt(pos) == '_') {
          pos++;
          read();
          return DISCARDED;
        }
        throw error("unsupported '#' form (only #{...} sets and #_ discards are read)");
      case '}':
      case ']':
      case ')':
        throw error("unexpected '" + c + "'");
      default:
        return readAtom();
    }
  }

  private Map<Object, Object> readMap() throws EdnSyntaxException {
    Map<Object, Object> map = new LinkedHashMap<>();
    while (true) {
      skipWhitespace();
      if (pos >= text.length()) {
        throw error("unterminated map, expected '}'");
      }
      if (text.charAt(pos) == '}') {
        pos++;
        return Collections.unmodifiableMap(map);
      }
      Object key = readForm();
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == '}') {
        throw error("map key " + key + " has no value");
      }
      Object value = readForm();
      if (key == END || value == END) {
        throw error("unterminated map, expected '}'");
      }
      map.put(key, value);
    }
  }

  private List<Object> readSequence(char close) throws EdnSyntaxException {
    List<Object> items = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (pos >= text.length()) {
        throw error("unterminated collection, expected '" + close + "'");
      }
      char c = text.charAt(pos);
      if (c == close) {
        pos++;
        return items;
      }
      if (c == '}' || c == ']' || c == ')') {
        throw error("expected '" + close + "' but found '" + c + "'");
      }
      Object form = readForm();
      if (form == END) {
        throw error("unterminated collection, expected '" + close + "'");
      }
      items.add(form);
    }
  }

  private String readString() throws EdnSyntaxException {
    StringBuilder b = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\n') {
        line++;
        lineStart = pos;
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case '"' -> b.append('"');
          case '\\' -> b.append('\\');
          default -> throw error("unsupported string escape '\\" + e + "'");
        }
      } else {
        b.append(c);
      }
    }
    throw error("unterminated string");
  }

  private String readToken() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c) || c == ',' || "{}[]()\";".indexOf(c) >= 0) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  private Object readAtom() throws EdnSyntaxException {
    int startColumn = column();
    String token = readToken();
    switch (token) {
      case "nil":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        break;
    }
    char first = token.charAt(0);
    boolean numeric = Character.isDigit(first)
        || ((first == '-' || first == '+') && token.length() > 1 && Character.isDigit(token.charAt(1)));
    if (!numeric) {
      return new Symbol(token);
    }
    String digits = token.endsWith("N") ? token.substring(0, token.length() - 1) : token;
    try {
      BigInteger big = new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
      return big.bitLength() < 64 ? (Object) big.longValueExact() : big;
    } catch (NumberFormatException notInteger) {
      try {
        return Double.parseDouble(token.endsWith("M") ? token.substring(0, token.length() - 1) : token);
      } catch (NumberFormatException e) {
        throw new EdnSyntaxException(line, startColumn, "'" + token + "' is not a number");
      }
    }
  }
}
