package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes of {@code raftlab run} for scripts that never reach a cluster. */
class RunCommandTest {

  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aParseErrorExitsTwoNamingFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.scn");
    Files.writeString(f, "start 3\nkill n7\n");
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = RaftlabCommand.execute("run", f.toString(), "--out", dir.resolve("out").toString()));
    assertThat(code[0]).isEqualTo(2);
    assertThat(err).contains(f + ":2:6: no node n7 in a cluster of 3 (nodes are n1..n3)");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aSizeOutsideTheRangeOrAMissingFileExitsTwo(@TempDir Path dir) {
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = RaftlabCommand.execute("run", dir.resolve("none.scn").toString(), "--nodes", "40"));
    assertThat(code[0]).isEqualTo(2);
    assertThat(err).contains("--nodes 40 is outside the allowed range 1..15");
    err = stderrOf(() -> code[0] = RaftlabCommand.execute("run", dir.resolve("none.scn").toString()));
    assertThat(code[0]).isEqualTo(2);
    assertThat(err).contains("cannot read " + dir.resolve("none.scn"));
  }

  @Test
  void aScriptThatContradictsNodesExitsTwo(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("five.scn");
    Files.writeString(f, "start 5\n");
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = RaftlabCommand.execute("run", f.toString(), "--nodes", "3"));
    assertThat(code[0]).isEqualTo(2);
    assertThat(err).contains(f + ":1:7: the script fixes 5 nodes but 3 were asked for (--nodes)");
  }
}
