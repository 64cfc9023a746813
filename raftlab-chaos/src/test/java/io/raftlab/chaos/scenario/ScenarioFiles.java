package io.raftlab.chaos.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped scenario scripts are: {@code scenarios/} at the root of the repository. */
final class ScenarioFiles {
  private ScenarioFiles() {}

  static Path directory() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("scenarios")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("scenarios");
      }
    }
    throw new IllegalStateException("no scenarios/ directory above " + here);
  }
}
