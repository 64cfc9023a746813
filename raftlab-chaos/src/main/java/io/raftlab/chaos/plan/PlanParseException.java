package io.raftlab.chaos.plan;

/** A plan text that cannot be read; the message starts with {@code SOURCE:LINE:COLUMN:}. */
public final class PlanParseException extends Exception {

  private final int line;
  private final int column;

  public PlanParseException(String source, int line, int column, String problem) {
    super(source + ":" + line + ":" + column + ": " + problem);
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
