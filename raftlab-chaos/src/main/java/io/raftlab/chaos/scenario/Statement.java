package io.raftlab.chaos.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One statement of a scenario script after {@code start}, with the line it came from (for error
 * messages). The header ({@code cluster}, {@code set-param}, {@code start}) becomes {@link Scenario}'s
 * fields.
 */
public sealed interface Statement {

  /** 1-based line of the statement's first token. */
  int line();

  /** The statement as written, normalized (for progress output and errors). */
  String text();

  /** {@code kill|restart|pause|resume NODE}. */
  record NodeFault(int line, String text, NodeFaultKind kind, NodeRef node) implements Statement {}

  enum NodeFaultKind { KILL, RESTART, PAUSE, RESUME }

  /** {@code partition {..} {..} [rest]}: groups cut from each other. A null group member list means "the rest". */
  record Partition(int line, String text, List<List<NodeRef>> groups, boolean restGroup) implements Statement {}

  record Isolate(int line, String text, NodeRef node) implements Statement {}

  /** {@code block A -> B} / {@code unblock A -> B}: one direction. */
  record Link(int line, String text, boolean block, NodeRef from, NodeRef to) implements Statement {}

  record Heal(int line, String text) implements Statement {}

  /** {@code let $x = NODE}: remembers a node (typically $leader) under a name. */
  record Let(int line, String text, String variable, NodeRef node) implements Statement {}

  /** {@code set k v [via n]}, {@code get k [via n]}, {@code cas k old new [via n]}: must get an answer. */
  record ClientOp(int line, String text, Op op, Optional<NodeRef> via) implements Statement {}

  record Campaign(int line, String text, NodeRef node) implements Statement {}

  /**
   * {@code wait leader [[not] in {..}] [within D]} and {@code wait no leader in {..} [within D]};
   * {@code notIn} means the leader must be outside the set.
   */
  record WaitLeader(int line, String text, boolean none, Optional<List<NodeRef>> in, boolean notIn, Duration within)
      implements Statement {}

  record Sleep(int line, String text, Duration duration) implements Statement {}

  /** {@code after D { ... }}: the body runs concurrently, starting D after this statement is reached. */
  record After(int line, String text, Duration delay, List<Statement> body) implements Statement {}

  /** {@code expect get k == v|is absent|in {v1,v2} [via n] [within D]}. */
  record ExpectGet(int line, String text, String key, ValueMatch match, Optional<NodeRef> via, Optional<Duration> within)
      implements Statement {}

  /** {@code expect fail set k v [via n]}: the write must not succeed (refused or timed out). */
  record ExpectFail(int line, String text, Op op, Optional<NodeRef> via) implements Statement {}

  /** {@code expect leader in {..} [within D]}. */
  record ExpectLeader(int line, String text, List<NodeRef> in, Optional<Duration> within) implements Statement {}

  /** {@code expect no leader in {..} [for D]}: no node of the set is leader now (or at any sample during D). */
  record ExpectNoLeader(int line, String text, List<NodeRef> in, Optional<Duration> holdFor) implements Statement {}

  /**
   * {@code expect leader changes within D} (changing=true: the highest term any node reports must
   * rise within D) or {@code expect leader stable for D} (it must not, and a leader must be there
   * throughout).
   */
  record ExpectLeaderChange(int line, String text, boolean changing, Duration window) implements Statement {}

  /** {@code wait blocks [within D]}: waits until every {@code after} block started so far has finished. */
  record WaitBlocks(int line, String text, Duration within) implements Statement {}

  /** {@code expect one leader per term}: over every inspection sample of the run so far. */
  record ExpectOneLeaderPerTerm(int line, String text) implements Statement {}

  /** A client operation. */
  sealed interface Op {
    String key();

    record Set(String key, String value) implements Op {}

    record Get(String key) implements Op {}

    record Cas(String key, String expected, String newValue) implements Op {}
  }

  /** What an {@code expect get} accepts. */
  sealed interface ValueMatch {
    boolean matches(Optional<String> value);

    record Equals(String value) implements ValueMatch {
      @Override
      public boolean matches(Optional<String> v) {
        return v.isPresent() && v.get().equals(value);
      }

      @Override
      public String toString() {
        return "== " + value;
      }
    }

    record Absent() implements ValueMatch {
      @Override
      public boolean matches(Optional<String> v) {
        return v.isEmpty();
      }

      @Override
      public String toString() {
        return "is absent";
      }
    }

    record OneOf(List<String> values) implements ValueMatch {
      @Override
      public boolean matches(Optional<String> v) {
        return v.isPresent() && values.contains(v.get());
      }

      @Override
      public String toString() {
        return "in {" + String.join(",", values) + "}";
      }
    }
  }
}
