package io.raftlab.cli;

import io.raftlab.chaos.scenario.Scenario;
import io.raftlab.chaos.scenario.ScenarioParseException;
import io.raftlab.chaos.scenario.ScenarioParser;
import io.raftlab.chaos.scenario.ScenarioRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftlab run FILE}: runs a hand-written scenario script against local raftlab processes. */
@Command(name = "run", description = {
    "Run a scenario script (see scenarios/README.md) against a local raftlab cluster wired through a proxy mesh,",
    "recording history.jsonl, nemesis.jsonl, states.jsonl, results.json and report.html.",
    "Exit 0: every expectation held; 1: an expectation failed (the message names the line); 2: parse error or setup failure."})
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "the scenario script")
  Path file;

  @Option(names = "--out", description = "run directory [runs/NAME-DATE-TIME]")
  Path out;

  @Option(names = {"-n", "--nodes"}, description = "cluster size when the script does not name one (1..15) [3]")
  Integer nodes;

  @Override
  public Integer call() throws IOException {
    if (nodes != null && (nodes < 1 || nodes > ScenarioParser.MAX_NODES)) {
      System.err.println("raftlab run: --nodes " + nodes + " is outside the allowed range 1.." + ScenarioParser.MAX_NODES);
      return 2;
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("raftlab run: cannot read " + file + ": " + e);
      return 2;
    }
    Scenario scenario;
    try {
      scenario = ScenarioParser.parse(file.toString(), text, Optional.ofNullable(nodes));
    } catch (ScenarioParseException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Path dir = out != null ? out
        : Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    ScenarioRunner.Result r = ScenarioRunner.run(scenario, ScenarioRunner.Options.defaults(dir, System.out));
    System.out.printf("%s: %s (%d statements, %d ok, %d failed, %d unknown operations, %d faults)%n", file,
        r.status(), r.statementsRun(), r.ok(), r.fail(), r.info(), r.faults());
    System.out.println("run directory: " + r.runDir().toAbsolutePath());
    return switch (r.status()) {
      case PASSED -> 0;
      case FAILED -> 1;
      case SETUP_FAILED -> 2;
    };
  }
}
