package io.raftlab.chaos.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One short-lived host tool invocation (ip, iptables, tc, ss, kill) whose failure is an IOException naming it. */
final class HostCommand {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private HostCommand() {}

  /** Runs {@code argv} and returns its standard output; a non-zero exit is an IOException with its stderr. */
  static String run(String... argv) throws IOException {
    return run(List.of(argv));
  }

  static String run(List<String> argv) throws IOException {
    Path err = Files.createTempFile("raftlab-cmd", ".err");
    Path out = Files.createTempFile("raftlab-cmd", ".out");
    try {
      // output goes to files so that a hung tool cannot block us past the timeout
      Process p = new ProcessBuilder(argv).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": no exit after " + TIMEOUT.toSeconds() + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + ": "
            + Files.readString(err, StandardCharsets.UTF_8).strip());
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", argv) + ": interrupted", e);
    } finally {
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
    }
  }

  /** The absolute path of {@code tool} on PATH or in the sbin directories, if any. */
  static Optional<Path> find(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, tool);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
