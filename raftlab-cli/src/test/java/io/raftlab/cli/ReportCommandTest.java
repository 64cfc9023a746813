package io.raftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path tmp;


  private static String event(int process, String type, String f, String key, String value, long ms) {
    return "{\"process\":" + process + ",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key
        + "\",\"value\":" + value + ",\"time\":" + ms * 1_000_000 + "}\n";
  }

  /** k1 is written 1, then 2, then read as 1: a stale read. */
  private Path staleReadRun() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("history.jsonl"),
        event(0, "invoke", "write", "k1", "1", 0) + event(0, "ok", "write", "k1", "1", 10)
            + event(1, "invoke", "write", "k1", "2", 20) + event(1, "ok", "write", "k1", "2", 30)
            + event(2, "invoke", "read", "k1", "null", 40) + event(2, "ok", "read", "k1", "1", 50));
    Files.writeString(dir.resolve("nemesis.jsonl"),
        "{\"time\":15000000,\"type\":\"start\",\"fault\":\"partition\",\"nodes\":[\"n1\"]}\n");
    return dir;
  }

  @Test
  void reportIsWrittenAndItsPathAndVerdictPrintedWithExitZero() throws Exception {
    Path dir = staleReadRun();
    CliRun run = CliRun.of("report", dir.toString(), "--timeout", "20s", "--model", "kv");
    assertThat(run.exit()).as(run.err()).isZero();
    Path report = dir.resolve("report.html").toAbsolutePath().normalize();
    assertThat(report).exists();
    assertThat(run.out()).contains("report: " + report).contains("verdict: NOT linearizable (model kv, 3 operations")
        .contains("why: No legal order exists for key k1");
    assertThat(Files.readString(report)).contains("NOT linearizable");
  }

  @Test
  void linearizableRunPrintsLinearizable() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ok-run"));
    Files.writeString(dir.resolve("history.jsonl"),
        event(0, "invoke", "write", "k1", "1", 0) + event(0, "ok", "write", "k1", "1", 10)
            + event(1, "invoke", "read", "k1", "null", 20) + event(1, "ok", "read", "k1", "1", 30));
    CliRun run = CliRun.of("report", dir.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("verdict: linearizable (model kv, 2 operations");
  }

  @Test
  void missingHistoryExitsTwoNamingTheFile() {
    CliRun run = CliRun.of("report", tmp.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(tmp.resolve("history.jsonl").toString()).contains("is missing");
  }

  @Test
  void badHistoryLineExitsTwoNamingFileAndLine() throws Exception {
    Path dir = staleReadRun();
    Files.writeString(dir.resolve("history.jsonl"), event(0, "invoke", "write", "k1", "1", 0)
        + "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k1\",\"time\":\"soon\"}\n");
    CliRun run = CliRun.of("report", dir.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(dir.resolve("history.jsonl") + ":2:").contains("\"time\"");
    assertThat(dir.resolve("report.html")).doesNotExist();
  }

  @Test
  void badNemesisLineExitsTwoNamingFileAndLine() throws Exception {
    Path dir = staleReadRun();
    Files.writeString(dir.resolve("nemesis.jsonl"), "{\"time\":1,\"type\":\"start\",\"fault\":\"kill\"}\nnot json\n");
    CliRun run = CliRun.of("report", dir.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(dir.resolve("nemesis.jsonl") + ":2:").contains("not valid JSON");
  }

  @Test
  void badTimeoutAndModelExitTwoNamingTheOption() throws Exception {
    Path dir = staleReadRun();
    CliRun timeout = CliRun.of("report", dir.toString(), "--timeout", "soon");
    assertThat(timeout.exit()).isEqualTo(2);
    assertThat(timeout.err()).contains("--timeout: 'soon'").contains("30s");
    CliRun range = CliRun.of("report", dir.toString(), "--timeout", "0s");
    assertThat(range.exit()).isEqualTo(2);
    assertThat(range.err()).contains("1ms to 24h");
    CliRun model = CliRun.of("report", dir.toString(), "--model", "queue");
    assertThat(model.exit()).isEqualTo(2);
    assertThat(model.err()).contains("'queue'").contains("kv, register, cas-register");
  }

  @Test
  void timeoutAcceptsUnitsAndIsoDurations() {
    assertThat(ReportCommand.parseTimeout("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ReportCommand.parseTimeout("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ReportCommand.parseTimeout("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ReportCommand.parseTimeout("PT2S")).isEqualTo(Duration.ofSeconds(2));
  }
}
