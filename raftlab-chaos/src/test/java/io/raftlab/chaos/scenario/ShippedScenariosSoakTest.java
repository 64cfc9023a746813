package io.raftlab.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every script in scenarios/ passes on real processes. About two minutes in all, so it is tagged
 * soak; {@link ScenarioRunnerTest} runs three of them in the default build.
 */
@Tag("soak")
class ShippedScenariosSoakTest {

  static Stream<String> scripts() throws IOException {
    try (Stream<Path> s = Files.list(ScenarioFiles.directory())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".scn")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void everyShippedScenarioPasses(String name, @TempDir Path dir) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Scenario s = ScenarioParser.parse(name, Files.readString(ScenarioFiles.directory().resolve(name)));
    ScenarioRunner.Result r = ScenarioRunner.run(s,
        ScenarioRunner.Options.defaults(dir.resolve("run"), new PrintStream(progress, true, StandardCharsets.UTF_8)));
    String log = progress.toString(StandardCharsets.UTF_8);
    System.out.println(log);
    assertThat(r.status()).as(log).isEqualTo(ScenarioRunner.Status.PASSED);
  }
}
