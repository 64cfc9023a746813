package io.raftlab.chaos.scenario;

import io.raftlab.chaos.scenario.Statement.ValueMatch;
import io.raftlab.server.config.Parameter;
import io.raftlab.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a scenario script. One statement per line; {@code #} starts a comment; words are
 * separated by blanks; {@code { } , ->} are tokens of their own; a value with blanks or those
 * characters is written in double quotes. Every error names line and column and what was
 * expected there. See {@code scenarios/README.md} for the language.
 */
public final class ScenarioParser {

  public static final int DEFAULT_NODES = 3;
  public static final int MAX_NODES = 15;
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)");
  private static final Pattern NODE_ID = Pattern.compile("n(\\d{1,3})");
  private static final Pattern VARIABLE = Pattern.compile("\\$[a-z][a-z0-9_]*");
  /** Parameters the launcher owns: a script may not set them. */
  private static final Set<String> LAUNCHER_PARAMS = Set.of("id", "data-dir", "listen-host", "peer-port", "client-port",
      "metrics-port");

  private enum Kind { WORD, LBRACE, RBRACE, COMMA, ARROW, NEWLINE, EOF }

  private record Token(Kind kind, String text, int line, int column, boolean quoted) {
    String shown() {
      return switch (kind) {
        case NEWLINE -> "end of line";
        case EOF -> "end of file";
        default -> "'" + text + "'";
      };
    }

    boolean is(String word) {
      return kind == Kind.WORD && !quoted && text.equals(word);
    }
  }

  private final String source;
  private final List<Token> tokens;
  private int pos;
  private int nodes;
  private final Set<String> variables = new HashSet<>(Set.of(NodeRef.LEADER, NodeRef.FOLLOWER));

  private ScenarioParser(String source, List<Token> tokens) {
    this.source = source;
    this.tokens = tokens;
  }

  /**
   * Parses {@code text}.
   *
   * @param source the file name for messages
   * @param nodesOverride the size from the command line ({@code --nodes}), used when the script
   *     names none; a script that names another size is refused
   */
  public static Scenario parse(String source, String text, Optional<Integer> nodesOverride) throws ScenarioParseException {
    ScenarioParser p = new ScenarioParser(source, tokenize(source, text));
    return p.script(text, nodesOverride);
  }

  public static Scenario parse(String source, String text) throws ScenarioParseException {
    return parse(source, text, Optional.empty());
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private static List<Token> tokenize(String source, String text) throws ScenarioParseException {
    List<Token> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int l = 0; l < lines.length; l++) {
      String s = lines[l];
      int line = l + 1;
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        int col = i + 1;
        if (c == '#') {
          break;
        } else if (c == ' ' || c == '\t') {
          i++;
        } else if (c == '{') {
          out.add(new Token(Kind.LBRACE, "{", line, col, false));
          i++;
        } else if (c == '}') {
          out.add(new Token(Kind.RBRACE, "}", line, col, false));
          i++;
        } else if (c == ',') {
          out.add(new Token(Kind.COMMA, ",", line, col, false));
          i++;
        } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '>') {
          out.add(new Token(Kind.ARROW, "->", line, col, false));
          i += 2;
        } else if (c == '"') {
          StringBuilder sb = new StringBuilder();
          int j = i + 1;
          while (j < s.length() && s.charAt(j) != '"') {
            if (s.charAt(j) == '\\' && j + 1 < s.length()) {
              j++;
            }
            sb.append(s.charAt(j));
            j++;
          }
          if (j >= s.length()) {
            throw new ScenarioParseException(source, line, col, "unterminated string: expected a closing '\"' on the same line");
          }
          out.add(new Token(Kind.WORD, sb.toString(), line, col, true));
          i = j + 1;
        } else {
          int j = i;
          while (j < s.length() && " \t{},#\"".indexOf(s.charAt(j)) < 0
              && !(s.charAt(j) == '-' && j + 1 < s.length() && s.charAt(j + 1) == '>')) {
            j++;
          }
          out.add(new Token(Kind.WORD, s.substring(i, j), line, col, false));
          i = j;
        }
      }
      out.add(new Token(Kind.NEWLINE, "", line, s.length() + 1, false));
    }
    Token last = out.get(out.size() - 1);
    out.add(new Token(Kind.EOF, "", last.line(), last.column(), false));
    return out;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private ScenarioParseException error(Token at, String expected) {
    return new ScenarioParseException(source, at.line(), at.column(), "expected " + expected + ", found " + at.shown());
  }

  private ScenarioParseException problem(Token at, String problem) {
    return new ScenarioParseException(source, at.line(), at.column(), problem);
  }

  private Token word(String expected) throws ScenarioParseException {
    Token t = peek();
    if (t.kind() != Kind.WORD) {
      throw error(t, expected);
    }
    return next();
  }

  private void keyword(String kw) throws ScenarioParseException {
    if (!peek().is(kw)) {
      throw error(peek(), "'" + kw + "'");
    }
    next();
  }

  private void expectKind(Kind kind, String expected) throws ScenarioParseException {
    if (peek().kind() != kind) {
      throw error(peek(), expected);
    }
    next();
  }

  private void skipNewlines() {
    while (peek().kind() == Kind.NEWLINE) {
      next();
    }
  }

  /** A statement ends at the end of its line or before the '}' that closes its block. */
  private void endOfStatement(String alternatives, boolean inBlock) throws ScenarioParseException {
    Token t = peek();
    if (t.kind() == Kind.NEWLINE || t.kind() == Kind.EOF || (inBlock && t.kind() == Kind.RBRACE)) {
      return;
    }
    throw error(t, alternatives.isEmpty() ? "end of line" : alternatives + " or end of line");
  }

  // ---- script -----------------------------------------------------------------------------------

  private Scenario script(String text, Optional<Integer> nodesOverride) throws ScenarioParseException {
    Map<String, String> params = new LinkedHashMap<>();
    Integer size = null;
    Token sizeAt = null;
    skipNewlines();
    // Header: cluster / set-param, then start.
    while (true) {
      Token t = peek();
      int line = t.line();
      if (t.kind() == Kind.EOF) {
        throw problem(t, "expected 'start' (every script starts its cluster), found end of file");
      }
      if (t.is("cluster")) {
        next();
        Token n = word("a cluster size (1.." + MAX_NODES + ")");
        size = clusterSize(n);
        sizeAt = n;
        keyword("nodes");
        endOfStatement("", false);
      } else if (t.is("set-param")) {
        next();
        Token name = word("a node parameter name (e.g. heartbeat-millis)");
        Token value = word("a value for " + name.text());
        checkParam(name, value);
        params.put(name.text(), value.text());
        endOfStatement("", false);
      } else if (t.is("start")) {
        next();
        if (peek().kind() == Kind.WORD) {
          Token n = next();
          int s = clusterSize(n);
          if (size != null && size != s) {
            throw problem(n, "start " + s + " contradicts 'cluster " + size + " nodes' on line " + sizeAt.line());
          }
          size = s;
          sizeAt = n;
        }
        endOfStatement("", false);
        if (size != null && nodesOverride.isPresent() && !nodesOverride.get().equals(size)) {
          throw problem(sizeAt, "the script fixes " + size + " nodes but " + nodesOverride.get() + " were asked for (--nodes)");
        }
        nodes = size != null ? size : nodesOverride.orElse(DEFAULT_NODES);
        List<Statement> steps = statements(false);
        return new Scenario(source, text, nodes, params, steps, line);
      } else if (t.kind() == Kind.WORD && isStepKeyword(t.text())) {
        throw problem(t, "'" + t.text() + "' before 'start': expected 'cluster N nodes', 'set-param NAME VALUE' or 'start [N]'");
      } else {
        throw error(t, "'cluster N nodes', 'set-param NAME VALUE' or 'start [N]'");
      }
      skipNewlines();
    }
  }

  private int clusterSize(Token n) throws ScenarioParseException {
    int s;
    try {
      s = Integer.parseInt(n.text());
    } catch (NumberFormatException e) {
      throw error(n, "a cluster size (1.." + MAX_NODES + ")");
    }
    if (s < 1 || s > MAX_NODES) {
      throw problem(n, "cluster size " + s + " is outside the allowed range 1.." + MAX_NODES);
    }
    return s;
  }

  private void checkParam(Token name, Token value) throws ScenarioParseException {
    if (LAUNCHER_PARAMS.contains(name.text())) {
      throw problem(name, "parameter '" + name.text() + "' is chosen by the launcher and cannot be set by a script");
    }
    Parameter p = ServerConfig.PARAMETERS.stream().filter(x -> x.name().equals(name.text())).findFirst()
        .orElseThrow(() -> problem(name, "unknown node parameter '" + name.text() + "' (known: "
            + String.join(", ", ServerConfig.PARAMETERS.stream().map(Parameter::name)
                .filter(x -> !LAUNCHER_PARAMS.contains(x)).toList()) + ")"));
    try {
      p.parser().apply(value.text().trim());
    } catch (RuntimeException e) {
      throw problem(value, "bad value for " + name.text() + ": " + e.getMessage());
    }
  }

  private static final List<String> STEP_KEYWORDS = List.of("kill", "restart", "pause", "resume", "partition", "isolate",
      "block", "unblock", "heal", "let", "set", "get", "cas", "campaign", "wait", "sleep", "after", "expect");

  private static boolean isStepKeyword(String w) {
    return STEP_KEYWORDS.contains(w);
  }

  /** Statements up to the end of file, or (in a block) up to the closing '}', which is consumed. */
  private List<Statement> statements(boolean inBlock) throws ScenarioParseException {
    List<Statement> out = new ArrayList<>();
    while (true) {
      skipNewlines();
      Token t = peek();
      if (t.kind() == Kind.EOF) {
        if (inBlock) {
          throw error(t, "'}' to close the 'after' block");
        }
        return out;
      }
      if (t.kind() == Kind.RBRACE) {
        if (!inBlock) {
          throw problem(t, "'}' without an open 'after' block");
        }
        next();
        return out;
      }
      out.add(statement(inBlock));
      endOfStatement("", inBlock);
    }
  }

  private Statement statement(boolean inBlock) throws ScenarioParseException {
    Token t = peek();
    if (t.kind() != Kind.WORD || t.quoted()) {
      throw error(t, "a statement (" + String.join(", ", STEP_KEYWORDS) + ")");
    }
    int line = t.line();
    int start = pos;
    String kw = t.text();
    next();
    java.util.function.Function<String, Statement> s = switch (kw) {
      case "kill" -> nodeFault(line, Statement.NodeFaultKind.KILL);
      case "restart" -> nodeFault(line, Statement.NodeFaultKind.RESTART);
      case "pause" -> nodeFault(line, Statement.NodeFaultKind.PAUSE);
      case "resume" -> nodeFault(line, Statement.NodeFaultKind.RESUME);
      case "partition" -> partition(line);
      case "isolate" -> {
        NodeRef n = node();
        yield text -> new Statement.Isolate(line, text, n);
      }
      case "block", "unblock" -> {
        NodeRef from = node();
        expectKind(Kind.ARROW, "'->' between the two nodes of the link");
        NodeRef to = node();
        yield text -> new Statement.Link(line, text, kw.equals("block"), from, to);
      }
      case "heal" -> text -> new Statement.Heal(line, text);
      case "let" -> let(line);
      case "set", "get", "cas" -> {
        Statement.Op op = op(kw);
        Optional<NodeRef> via = via();
        yield text -> new Statement.ClientOp(line, text, op, via);
      }
      case "campaign" -> {
        NodeRef n = node();
        yield text -> new Statement.Campaign(line, text, n);
      }
      case "wait" -> waitLeader(line);
      case "sleep" -> {
        Duration d = duration();
        yield text -> new Statement.Sleep(line, text, d);
      }
      case "after" -> {
        Duration d = duration();
        expectKind(Kind.LBRACE, "'{' to open the block");
        List<Statement> body = statements(true);
        yield text -> new Statement.After(line, text, d, body);
      }
      case "expect" -> expect(line);
      case "start", "cluster", "set-param" -> throw problem(t, "'" + kw + "' may appear only once, before the other statements");
      default -> throw error(t, "a statement (" + String.join(", ", STEP_KEYWORDS) + ")");
    };
    return s.apply(render(start, pos));
  }

  /** The statement's tokens as one line; an 'after' block shows only its head. */
  private String render(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      Kind prev = i > from ? tokens.get(i - 1).kind() : Kind.NEWLINE;
      if (sb.length() > 0 && t.kind() != Kind.COMMA && t.kind() != Kind.RBRACE && prev != Kind.COMMA
          && prev != Kind.LBRACE) {
        sb.append(' ');
      }
      if (t.kind() == Kind.LBRACE && tokens.get(from).is("after")) {
        return sb.append("{ ... }").toString();
      }
      sb.append(t.quoted() ? '"' + t.text() + '"' : t.text());
    }
    return sb.toString();
  }

  // ---- pieces -----------------------------------------------------------------------------------

  private java.util.function.Function<String, Statement> nodeFault(int line, Statement.NodeFaultKind kind)
      throws ScenarioParseException {
    NodeRef n = node();
    return text -> new Statement.NodeFault(line, text, kind, n);
  }

  private NodeRef node() throws ScenarioParseException {
    Token t = peek();
    String what = "a node (n1..n" + nodes + ", $leader, $follower or a variable set by 'let')";
    if (t.kind() != Kind.WORD || t.quoted()) {
      throw error(t, what);
    }
    String w = t.text();
    if (w.startsWith("$")) {
      if (!VARIABLE.matcher(w).matches()) {
        throw error(t, "a variable name like $old (lower-case letters, digits, _)");
      }
      if (!variables.contains(w)) {
        throw problem(t, "unknown variable " + w + " (known: " + String.join(", ", variables.stream().sorted().toList())
            + "; bind it first with 'let " + w + " = $leader')");
      }
      next();
      return new NodeRef(w);
    }
    Matcher m = NODE_ID.matcher(w);
    if (!m.matches()) {
      throw error(t, what);
    }
    int k = Integer.parseInt(m.group(1));
    if (k < 1 || k > nodes) {
      throw problem(t, "no node " + w + " in a cluster of " + nodes + " (nodes are n1..n" + nodes + ")");
    }
    next();
    return new NodeRef(w);
  }

  private List<NodeRef> nodeSet() throws ScenarioParseException {
    expectKind(Kind.LBRACE, "'{' to open a set of nodes");
    List<NodeRef> out = new ArrayList<>();
    out.add(node());
    while (peek().kind() == Kind.COMMA) {
      next();
      out.add(node());
    }
    expectKind(Kind.RBRACE, "',' or '}' in the set of nodes");
    return out;
  }

  private java.util.function.Function<String, Statement> partition(int line) throws ScenarioParseException {
    List<List<NodeRef>> groups = new ArrayList<>();
    boolean rest = false;
    Set<String> seen = new HashSet<>();
    while (peek().kind() == Kind.LBRACE || (peek().is("rest") && !rest)) {
      if (peek().is("rest")) {
        next();
        rest = true;
        continue;
      }
      Token open = peek();
      List<NodeRef> g = nodeSet();
      for (NodeRef r : g) {
        if (r.isLiteral() && !seen.add(r.text())) {
          throw problem(open, "node " + r.text() + " is in more than one group of the partition");
        }
      }
      groups.add(g);
    }
    if (groups.isEmpty() || groups.size() + (rest ? 1 : 0) < 2) {
      throw error(peek(), groups.isEmpty() ? "a group of nodes like {n1,n2}" : "another group {..} or 'rest'");
    }
    boolean hasRest = rest;
    return text -> new Statement.Partition(line, text, groups, hasRest);
  }

  private java.util.function.Function<String, Statement> let(int line) throws ScenarioParseException {
    Token v = peek();
    if (v.kind() != Kind.WORD || !VARIABLE.matcher(v.text()).matches()) {
      throw error(v, "a variable name like $old");
    }
    if (v.text().equals(NodeRef.LEADER) || v.text().equals(NodeRef.FOLLOWER)) {
      throw problem(v, v.text() + " is built in and cannot be rebound");
    }
    next();
    Token eq = peek();
    if (!eq.is("=")) {
      throw error(eq, "'='");
    }
    next();
    NodeRef n = node();
    variables.add(v.text());
    return text -> new Statement.Let(line, text, v.text(), n);
  }

  private Statement.Op op(String kw) throws ScenarioParseException {
    String key = word("a key").text();
    return switch (kw) {
      case "set" -> new Statement.Op.Set(key, word("a value for " + key).text());
      case "get" -> new Statement.Op.Get(key);
      default -> {
        String expected = word("the expected value of " + key).text();
        yield new Statement.Op.Cas(key, expected, word("the new value of " + key).text());
      }
    };
  }

  private Optional<NodeRef> via() throws ScenarioParseException {
    if (peek().is("via")) {
      next();
      return Optional.of(node());
    }
    return Optional.empty();
  }

  private Duration duration() throws ScenarioParseException {
    Token t = peek();
    Matcher m = t.kind() == Kind.WORD ? DURATION.matcher(t.text()) : null;
    if (m == null || !m.matches()) {
      throw error(t, "a duration like 500ms, 2s or 1m");
    }
    next();
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
    if (d.compareTo(Duration.ofHours(1)) > 0) {
      throw problem(t, "duration " + t.text() + " is outside the allowed range 0ms..60m");
    }
    return d;
  }

  private Optional<Duration> within() throws ScenarioParseException {
    if (peek().is("within")) {
      next();
      return Optional.of(duration());
    }
    return Optional.empty();
  }

  private java.util.function.Function<String, Statement> waitLeader(int line) throws ScenarioParseException {
    if (peek().is("blocks")) {
      next();
      Duration limit = within().orElse(Duration.ofMinutes(5));
      return text -> new Statement.WaitBlocks(line, text, limit);
    }
    boolean none = false;
    if (peek().is("no")) {
      next();
      none = true;
    }
    if (!peek().is("leader")) {
      throw error(peek(), none ? "'leader'" : "'leader', 'no leader' or 'blocks'");
    }
    next();
    Optional<List<NodeRef>> in = Optional.empty();
    boolean not = false;
    if (!none && peek().is("not")) {
      next();
      not = true;
      if (!peek().is("in")) {
        throw error(peek(), "'in' and a set of nodes");
      }
    }
    if (peek().is("in")) {
      next();
      in = Optional.of(nodeSet());
    } else if (none) {
      throw error(peek(), "'in' and a set of nodes");
    }
    Optional<Duration> within = within();
    endOfStatement(in.isEmpty() ? "'in {..}', 'not in {..}', 'within D'" : within.isEmpty() ? "'within D'" : "", true);
    boolean noLeader = none;
    boolean outside = not;
    Optional<List<NodeRef>> set = in;
    Duration limit = within.orElse(DEFAULT_WAIT);
    return text -> new Statement.WaitLeader(line, text, noLeader, set, outside, limit);
  }

  private java.util.function.Function<String, Statement> expect(int line) throws ScenarioParseException {
    Token t = peek();
    if (t.is("get")) {
      next();
      String key = word("a key").text();
      ValueMatch match;
      Token m = peek();
      if (m.is("==")) {
        next();
        match = new ValueMatch.Equals(word("the expected value of " + key).text());
      } else if (m.is("is")) {
        next();
        keyword("absent");
        match = new ValueMatch.Absent();
      } else if (m.is("in")) {
        next();
        expectKind(Kind.LBRACE, "'{' to open a set of values");
        List<String> values = new ArrayList<>();
        values.add(word("a value").text());
        while (peek().kind() == Kind.COMMA) {
          next();
          values.add(word("a value").text());
        }
        expectKind(Kind.RBRACE, "',' or '}' in the set of values");
        match = new ValueMatch.OneOf(values);
      } else {
        throw error(m, "'== VALUE', 'is absent' or 'in {V1,V2}'");
      }
      Optional<NodeRef> via = via();
      Optional<Duration> within = within();
      return text -> new Statement.ExpectGet(line, text, key, match, via, within);
    }
    if (t.is("fail")) {
      next();
      Token o = peek();
      if (!o.is("set") && !o.is("cas")) {
        throw error(o, "'set' or 'cas' (the write that must not succeed)");
      }
      next();
      Statement.Op op = op(o.text());
      Optional<NodeRef> via = via();
      return text -> new Statement.ExpectFail(line, text, op, via);
    }
    if (t.is("leader")) {
      next();
      if (peek().is("changes")) {
        next();
        keyword("within");
        Duration d = duration();
        return text -> new Statement.ExpectLeaderChange(line, text, true, d);
      }
      if (peek().is("stable")) {
        next();
        keyword("for");
        Duration d = duration();
        return text -> new Statement.ExpectLeaderChange(line, text, false, d);
      }
      if (!peek().is("in")) {
        throw error(peek(), "'in {..}', 'changes within D' or 'stable for D'");
      }
      next();
      List<NodeRef> in = nodeSet();
      Optional<Duration> within = within();
      return text -> new Statement.ExpectLeader(line, text, in, within);
    }
    if (t.is("no")) {
      next();
      keyword("leader");
      keyword("in");
      List<NodeRef> in = nodeSet();
      Optional<Duration> holdFor = Optional.empty();
      if (peek().is("for")) {
        next();
        holdFor = Optional.of(duration());
      }
      Optional<Duration> hold = holdFor;
      return text -> new Statement.ExpectNoLeader(line, text, in, hold);
    }
    if (t.is("one")) {
      next();
      keyword("leader");
      keyword("per");
      keyword("term");
      return text -> new Statement.ExpectOneLeaderPerTerm(line, text);
    }
    throw error(t, "'get', 'fail', 'leader', 'no leader' or 'one leader per term' after 'expect'");
  }
}
