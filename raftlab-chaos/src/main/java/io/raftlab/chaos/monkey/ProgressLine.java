package io.raftlab.chaos.monkey;

import java.io.PrintStream;

/**
 * A one-line progress bar that is redrawn in place ({@code \r}); whole lines printed through
 * {@link #println} first clear it, so the bar never mixes with them.
 */
final class ProgressLine {

  private final PrintStream out;
  private final int total;
  private int done;
  private int broken;
  private int running;
  private int shown;

  ProgressLine(PrintStream out, int total) {
    this.out = out;
    this.total = total;
  }

  synchronized void started() {
    running++;
    draw();
  }

  synchronized void finished(boolean isBroken) {
    running--;
    done++;
    if (isBroken) {
      broken++;
    }
    draw();
  }

  synchronized void println(String line) {
    clear();
    out.println(line);
    draw();
  }

  synchronized void end() {
    clear();
    out.flush();
  }

  private void draw() {
    int width = 30;
    int filled = total == 0 ? width : done * width / total;
    String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " trials, "
        + running + " running, " + broken + " broken";
    out.print("\r" + bar);
    if (bar.length() < shown) {
      out.print(" ".repeat(shown - bar.length()));
    }
    shown = bar.length();
    out.flush();
  }

  private void clear() {
    if (shown > 0) {
      out.print("\r" + " ".repeat(shown) + "\r");
      shown = 0;
    }
  }
}
