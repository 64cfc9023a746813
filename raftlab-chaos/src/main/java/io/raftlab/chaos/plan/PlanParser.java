package io.raftlab.chaos.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text {@link Plan#render()} writes: {@code NODES N}, then one event per line as
 * {@code +OFFSETms EVENT ARGS}. Blank lines and lines starting with {@code #} are skipped.
 * Errors name the line and the 1-based column of the offending word.
 */
public final class PlanParser {

  static final String EVENTS = "GET, SET, KILL, REV, PART, PART1, BRIDGE, HEAL, HEALALL, PAUSE, RESUME";
  private static final Pattern WORD = Pattern.compile("\\S+");
  private static final Pattern OFFSET = Pattern.compile("\\+(\\d{1,12})ms");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
  private static final Pattern CLIENT = Pattern.compile("c(0|[1-9]\\d{0,5})");
  private static final Pattern NODE = Pattern.compile("n([1-9]\\d{0,3})");

  private record Word(String text, int column) {}

  private final String source;
  private int line;
  private int nodes;

  private PlanParser(String source) {
    this.source = source;
  }

  public static Plan parse(String source, String text) throws PlanParseException {
    return new PlanParser(source).parse(text);
  }

  private Plan parse(String text) throws PlanParseException {
    List<Plan.Timed> events = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    long last = 0;
    for (int i = 0; i < lines.length; i++) {
      line = i + 1;
      String l = lines[i];
      if (l.isBlank() || l.stripLeading().startsWith("#")) {
        continue;
      }
      List<Word> words = words(l);
      if (nodes == 0) {
        Word head = words.get(0);
        if (!head.text().equals("NODES")) {
          throw error(head, "expected 'NODES N' before the first event, found '" + head.text() + "'");
        }
        Word n = arg(words, 1, "the number of nodes");
        try {
          nodes = Integer.parseInt(n.text());
        } catch (NumberFormatException e) {
          nodes = 0;
        }
        if (nodes < 1 || nodes > 1000) {
          throw error(n, "NODES: '" + n.text() + "' is not a node count 1..1000");
        }
        noMore(words, 2);
        continue;
      }
      Word off = words.get(0);
      Matcher m = OFFSET.matcher(off.text());
      if (!m.matches()) {
        throw error(off, "expected an offset like +120ms, found '" + off.text() + "'");
      }
      long offset = Long.parseLong(m.group(1));
      if (offset < last) {
        throw error(off, "offset " + offset + "ms is before the previous event's " + last + "ms; offsets must not decrease");
      }
      last = offset;
      events.add(new Plan.Timed(offset, event(words)));
    }
    if (nodes == 0) {
      throw new PlanParseException(source, 1, 1, "the plan is empty: it needs a 'NODES N' line");
    }
    return new Plan(nodes, events);
  }

  private PlanEvent event(List<Word> w) throws PlanParseException {
    Word kind = arg(w, 1, "an event (" + EVENTS + ")");
    PlanEvent e = switch (kind.text()) {
      case "GET" -> {
        String key = name(arg(w, 2, "a key"), "key");
        via(w, 3);
        yield new PlanEvent.Get(key, client(arg(w, 4, "a client like c0")));
      }
      case "SET" -> {
        String key = name(arg(w, 2, "a key"), "key");
        String value = name(arg(w, 3, "a value"), "value");
        via(w, 4);
        yield new PlanEvent.Set(key, value, client(arg(w, 5, "a client like c0")));
      }
      case "KILL" -> new PlanEvent.Kill(node(arg(w, 2, "a node")));
      case "REV" -> new PlanEvent.Revive(node(arg(w, 2, "a node")));
      case "PAUSE" -> new PlanEvent.Pause(node(arg(w, 2, "a node")));
      case "RESUME" -> new PlanEvent.Resume(node(arg(w, 2, "a node")));
      case "BRIDGE" -> new PlanEvent.Bridge(node(arg(w, 2, "a node")));
      case "PART" -> new PlanEvent.Partition(node(arg(w, 2, "a node")), other(w, 3, w.get(2)));
      case "HEAL" -> new PlanEvent.Heal(node(arg(w, 2, "a node")), other(w, 3, w.get(2)));
      case "PART1" -> {
        String from = node(arg(w, 2, "a node"));
        Word arrow = arg(w, 3, "'->'");
        if (!arrow.text().equals("->")) {
          throw error(arrow, "expected '->' between the nodes of a one-way cut, found '" + arrow.text() + "'");
        }
        yield new PlanEvent.PartitionOneWay(from, other(w, 4, w.get(2)));
      }
      case "HEALALL" -> new PlanEvent.HealAll();
      default -> throw error(kind, "unknown event '" + kind.text() + "'; expected one of " + EVENTS);
    };
    int used = switch (kind.text()) {
      case "HEALALL" -> 2;
      case "KILL", "REV", "PAUSE", "RESUME", "BRIDGE" -> 3;
      case "PART", "HEAL" -> 4;
      case "GET", "PART1" -> 5;
      default -> 6;
    };
    noMore(w, used);
    return e;
  }

  private String other(List<Word> w, int i, Word first) throws PlanParseException {
    Word b = arg(w, i, "a second node");
    String node = node(b);
    if (node.equals(first.text())) {
      throw error(b, "the two nodes must differ, both are " + node);
    }
    return node;
  }

  private void via(List<Word> w, int i) throws PlanParseException {
    Word v = arg(w, i, "'via'");
    if (!v.text().equals("via")) {
      throw error(v, "expected 'via CLIENT', found '" + v.text() + "'");
    }
  }

  private String node(Word w) throws PlanParseException {
    Matcher m = NODE.matcher(w.text());
    if (!m.matches() || Integer.parseInt(m.group(1)) > nodes) {
      throw error(w, "'" + w.text() + "' is not a node; the nodes are n1..n" + nodes);
    }
    return w.text();
  }

  private String client(Word w) throws PlanParseException {
    if (!CLIENT.matcher(w.text()).matches()) {
      throw error(w, "'" + w.text() + "' is not a plan client; write c0, c1, ...");
    }
    return w.text();
  }

  private String name(Word w, String what) throws PlanParseException {
    if (!NAME.matcher(w.text()).matches()) {
      throw error(w, what + " '" + w.text() + "' may hold only letters, digits and _ . : -");
    }
    return w.text();
  }

  private Word arg(List<Word> w, int i, String expected) throws PlanParseException {
    if (i >= w.size()) {
      Word lastWord = w.get(w.size() - 1);
      throw new PlanParseException(source, line, lastWord.column() + lastWord.text().length(),
          "expected " + expected + " after '" + lastWord.text() + "'");
    }
    return w.get(i);
  }

  private void noMore(List<Word> w, int used) throws PlanParseException {
    if (w.size() > used) {
      throw error(w.get(used), "unexpected '" + w.get(used).text() + "' at the end of the line");
    }
  }

  private PlanParseException error(Word w, String problem) {
    return new PlanParseException(source, line, w.column(), problem);
  }

  private static List<Word> words(String l) {
    List<Word> out = new ArrayList<>();
    Matcher m = WORD.matcher(l);
    while (m.find()) {
      out.add(new Word(m.group(), m.start() + 1));
    }
    return out;
  }
}
