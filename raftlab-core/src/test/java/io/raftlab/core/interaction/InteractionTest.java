package io.raftlab.core.interaction;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script in src/test/resources/interaction/*.txt (format and commands: the README
 * there) as one test. With {@code -Drewrite=true} each file's expected output is replaced by
 * the actual output instead, for when behaviour changed on purpose; review the diff before
 * keeping it. Scripts are read from the source tree, so that a rewrite and the next run see the
 * same files; run Maven from the repository root with {@code -pl raftlab-core} or from the
 * module directory.
 */
class InteractionTest {

  static final Path SCRIPT_DIR = Path.of("src", "test", "resources", "interaction");

  static boolean rewriting() {
    return Boolean.getBoolean("rewrite");
  }

  static List<Path> scripts(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("script directory " + dir.toAbsolutePath() + " is missing; run the tests from the raftlab-core module directory");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> eachScriptPrintsWhatItExpects() {
    List<Path> files = scripts(SCRIPT_DIR);
    if (files.isEmpty()) {
      throw new IllegalStateException("no *.txt scripts in " + SCRIPT_DIR.toAbsolutePath());
    }
    return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), p.toUri(), () -> check(p, rewriting())));
  }

  /**
   * Runs one script; fails with a per-command diff, or with {@code rewrite} writes the actual
   * output back into the file.
   */
  static void check(Path path, boolean rewrite) throws IOException {
    String name = path.startsWith(SCRIPT_DIR) ? SCRIPT_DIR.relativize(path).toString() : path.getFileName().toString();
    InteractionScript script = InteractionScript.parse(name, Files.readAllLines(path, StandardCharsets.UTF_8));
    ScriptRunner.Result result = ScriptRunner.run(script);
    if (rewrite) {
      if (!result.passed()) {
        Files.writeString(path, script.render(result.actual()), StandardCharsets.UTF_8);
        System.out.println("rewrote " + path + " (" + result.mismatches().size() + " command(s) changed)");
      }
      return;
    }
    if (!result.passed()) {
      fail(result.report());
    }
  }
}
