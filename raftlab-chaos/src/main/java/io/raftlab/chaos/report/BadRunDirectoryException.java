package io.raftlab.chaos.report;

import java.nio.file.Path;

/**
 * A run directory that cannot be reported on: a required file is missing, or a line of one of its
 * files is not what {@link RunDirectory} documents. The message names the file and, when it applies,
 * the 1-based line number.
 */
public final class BadRunDirectoryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final int line;

  public BadRunDirectoryException(Path file, int line, String problem) {
    this(file, line, problem, null);
  }

  public BadRunDirectoryException(Path file, int line, String problem, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  /** The file that is missing or wrong. */
  public Path file() {
    return file;
  }

  /** The 1-based line that is wrong, or 0 when the problem is the whole file. */
  public int line() {
    return line;
  }
}
