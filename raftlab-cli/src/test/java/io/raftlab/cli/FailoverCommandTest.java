package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** raftlab failover: option checks, and a short real run with a node parameter added by --set. */
class FailoverCommandTest {

  @TempDir
  Path dir;

  /** The nodes' directories each run names (kept by the command for inspection), removed after the test. */
  private final List<Path> nodeDirs = new ArrayList<>();

  private CliRun run(String... args) {
    CliRun run = CliRun.of(args);
    Matcher m = Pattern.compile("nodes' data and logs in (\\S+)").matcher(run.err());
    while (m.find()) {
      nodeDirs.add(Path.of(m.group(1)));
    }
    return run;
  }

  @AfterEach
  void removeNodeDirectories() throws IOException {
    for (Path d : nodeDirs) {
      try (Stream<Path> all = Files.walk(d)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void aNegativePollIntervalIsRefusedByName() {
    CliRun run = run("failover", "--poll", "-1", "--out", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--poll: must be 0..10000 ms, got -1");
  }

  @Test
  void aParameterTheNodesRefuseEndsTheRunWithTheNodesOwnMessage() {
    CliRun run = run("failover", "--impl", "raftlab", "--nodes", "3", "--trials", "1", "--timeouts", "150-300",
        "--set", "no-such-parameter=1", "--out", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("failover raftlab 150-300 ms:").contains("no-such-parameter: unknown parameter");
  }

  @Test
  void setAddsANodeParameterToTheTrialsSettings() throws Exception {
    CliRun run = run("failover", "--impl", "raftlab", "--nodes", "3", "--trials", "2", "--timeouts", "150-300",
        "--settle", "300", "--set", "check-quorum=false", "--out", dir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("check-quorum=false");
    List<String> csv = Files.readAllLines(dir.resolve("failover-raftlab-150-300.csv"));
    assertThat(csv).hasSize(3); // header and two trials
  }
}
