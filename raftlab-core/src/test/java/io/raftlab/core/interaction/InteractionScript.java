package io.raftlab.core.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed script file. The format:
 *
 * <ul>
 *   <li>{@code # text}: a comment, kept as is;
 *   <li>a blank line: kept as is; it also ends a command's expected output;
 *   <li>{@code > command args}: a command;
 *   <li>any other line: expected output of the command above it (no blank or {@code #} line between).
 * </ul>
 *
 * Output lines therefore never start with '>' or '#' and are never blank; {@link TraceFormat}
 * keeps to that.
 */
final class InteractionScript {

  /** A line kept verbatim (comment or blank). */
  record Verbatim(String text) implements Item {}

  /** A command and the output lines the file expects from it. */
  record Step(ScriptCommand command, List<String> expected) implements Item {}

  sealed interface Item permits Verbatim, Step {}

  private final String file;
  private final List<Item> items;

  private InteractionScript(String file, List<Item> items) {
    this.file = file;
    this.items = items;
  }

  String file() {
    return file;
  }

  List<Item> items() {
    return items;
  }

  List<Step> steps() {
    List<Step> out = new ArrayList<>();
    for (Item i : items) {
      if (i instanceof Step s) {
        out.add(s);
      }
    }
    return out;
  }

  static InteractionScript parse(String file, List<String> lines) {
    List<Item> items = new ArrayList<>();
    List<String> expected = null; // output lines of the open command, null when none is open
    for (int n = 0; n < lines.size(); n++) {
      String line = stripTrailing(lines.get(n));
      int lineNo = n + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        items.add(new Verbatim(line));
        expected = null;
      } else if (line.startsWith(">")) {
        expected = new ArrayList<>();
        items.add(new Step(ScriptCommand.parse(file, lineNo, line.substring(1)), expected));
      } else if (expected == null) {
        throw new ScriptException(file + ":" + lineNo + ": output line '" + line
            + "' does not follow a command; commands start with '> ', comments with '#'");
      } else {
        expected.add(line);
      }
    }
    return new InteractionScript(file, items);
  }

  /** The file's text with each command's expected output replaced by {@code actual} (one list per step, in order). */
  String render(List<List<String>> actual) {
    StringBuilder sb = new StringBuilder();
    int step = 0;
    for (Item i : items) {
      if (i instanceof Verbatim v) {
        sb.append(v.text()).append('\n');
      } else if (i instanceof Step s) {
        sb.append("> ").append(s.command().text()).append('\n');
        for (String out : actual.get(step++)) {
          sb.append(out).append('\n');
        }
      }
    }
    return sb.toString();
  }

  static String stripTrailing(String s) {
    return s.stripTrailing();
  }
}
