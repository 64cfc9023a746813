package io.raftlab.checker.parse;

/** A history file that cannot be read; the message names the file, line and (when known) column. */
public final class HistoryParseException extends Exception {
  private final String source;
  private final int line;
  private final int column;

  public HistoryParseException(String source, int line, int column, String problem) {
    super(source + ":" + line + (column > 0 ? ":" + column : "") + ": " + problem);
    this.source = source;
    this.line = line;
    this.column = column;
  }

  public String source() {
    return source;
  }

  /** 1-based line of the problem (0 when it concerns the whole file). */
  public int line() {
    return line;
  }

  /** 1-based column of the problem, or 0 when not known. */
  public int column() {
    return column;
  }
}
