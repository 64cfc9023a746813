package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void captureOutput() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static String event(int process, String type, String f, String key, String value, long time) {
    return "{\"process\":" + process + ",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key
        + "\",\"value\":" + value + ",\"time\":" + time + "}\n";
  }

  private Path staleRead(String name, String finalRead) throws Exception {
    return file(name, event(0, "invoke", "write", "k1", "1", 0) + event(0, "ok", "write", "k1", "1", 10)
        + event(1, "invoke", "write", "k1", "2", 20) + event(1, "ok", "write", "k1", "2", 30)
        + event(2, "invoke", "read", "k1", "null", 40) + event(2, "ok", "read", "k1", finalRead, 50));
  }

  @Test
  void linearizableHistoryExitsZero() throws Exception {
    assertThat(RaftlabCommand.execute("check", staleRead("ok.jsonl", "2").toString())).isEqualTo(0);
    assertThat(stdout()).contains("verdict: LINEARIZABLE", "model kv");
  }

  @Test
  void violationExitsOneAndPrintsMinimalSetImpossibleOpAndPrefix() throws Exception {
    assertThat(RaftlabCommand.execute("check", staleRead("bad.jsonl", "1").toString(), "--timeout", "10s")).isEqualTo(1);
    assertThat(stdout()).contains("NOT_LINEARIZABLE", "key: k1", "minimal set of operations that cannot be ordered (3)",
        "#2 p2 read(k1) = 1 ok", "line 5", "could only be 2", "longest linearizable prefix: 2 operations");
  }

  @Test
  void unparseableLineExitsTwoAndIsNamed() throws Exception {
    Path p = file("broken.jsonl", event(0, "invoke", "write", "k1", "1", 0) + "{\"process\": oops}\n");
    assertThat(RaftlabCommand.execute("check", p.toString())).isEqualTo(2);
    assertThat(stderr()).contains("broken.jsonl:2:", "not valid JSON");
  }

  @Test
  void exhaustedBudgetExitsTwo() throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      h.append(event(i, "invoke", "write", "k", String.valueOf(i), 0));
    }
    h.append(event(99, "invoke", "read", "k", "null", 0)).append(event(99, "ok", "read", "k", "1000", 1));
    for (int i = 0; i < 40; i++) {
      h.append(event(i, "ok", "write", "k", String.valueOf(i), 1000));
    }
    assertThat(RaftlabCommand.execute("check", file("slow.jsonl", h.toString()).toString(), "--timeout", "200ms")).isEqualTo(2);
    assertThat(stdout()).contains("verdict: UNKNOWN", "time budget");
  }

  @Test
  void jepsenLogDefaultsToCasRegister() throws Exception {
    Path log = file("jepsen.log", """
        INFO  jepsen.util - 0	:invoke	:write	1
        INFO  jepsen.util - 0	:ok	:write	1
        INFO  jepsen.util - 1	:invoke	:cas	[1 2]
        INFO  jepsen.util - 1	:ok	:cas	[1 2]
        INFO  jepsen.util - 2	:invoke	:read	nil
        INFO  jepsen.util - 2	:ok	:read	2
        """);
    assertThat(RaftlabCommand.execute("check", log.toString())).isEqualTo(0);
    assertThat(stdout()).contains("model cas-register");
    assertThat(RaftlabCommand.execute("check", log.toString(), "--model", "register")).isEqualTo(2);
    assertThat(stderr()).contains("a plain register has no cas");
  }

  @Test
  void badOptionsExitTwoWithTheAllowedValues() throws Exception {
    Path p = staleRead("ok.jsonl", "2");
    assertThat(RaftlabCommand.execute("check", p.toString(), "--model", "queue")).isEqualTo(2);
    assertThat(stderr()).contains("unknown model 'queue'", "register, cas-register, kv");
    assertThat(RaftlabCommand.execute("check", p.toString(), "--timeout", "soon")).isEqualTo(2);
    assertThat(stderr()).contains("'soon' is not a duration");
    assertThat(RaftlabCommand.execute("check", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
    assertThat(stderr()).contains("missing.jsonl: no such file");
  }

  @Test
  void diffExitsZeroWithoutTrueDifferenceAndOneWithIt() throws Exception {
    Path a = staleRead("a.jsonl", "2");
    Path b = staleRead("b.jsonl", "2");
    Path c = staleRead("c.jsonl", "1");
    assertThat(RaftlabCommand.execute("check", "--diff", a.toString(), b.toString())).isEqualTo(0);
    assertThat(RaftlabCommand.execute("check", "--diff", a.toString(), b.toString(), c.toString())).isEqualTo(1);
    assertThat(stdout()).contains("1 of 3 planned operations differ", "p2#0", "ok = 2", "ok = 1", "read different values");
    assertThat(RaftlabCommand.execute("check", "--diff", a.toString())).isEqualTo(2);
  }
}
