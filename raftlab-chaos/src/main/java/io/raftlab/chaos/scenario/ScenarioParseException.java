package io.raftlab.chaos.scenario;

/** A script that cannot be run: the message is {@code SOURCE:LINE:COLUMN: problem}. */
public final class ScenarioParseException extends Exception {
  private final String source;
  private final int line;
  private final int column;
  private final String problem;

  public ScenarioParseException(String source, int line, int column, String problem) {
    super(source + ":" + line + ":" + column + ": " + problem);
    this.source = source;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the location. */
  public String problem() {
    return problem;
  }
}
