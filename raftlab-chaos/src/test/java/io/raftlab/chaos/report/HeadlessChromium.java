package io.raftlab.chaos.report;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the Debian {@code chromium} binary headless on a local file, with a fresh profile directory
 * that is deleted afterwards, a time limit, and the whole process tree killed at the end.
 */
final class HeadlessChromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final long TIME_LIMIT_SECONDS = 90;

  private HeadlessChromium() {}

  /** Fails (in CI and locally alike) with the install command when chromium is missing. */
  static void requireInstalled() {
    if (!Files.isExecutable(BINARY)) {
      fail(BINARY + " is missing: the report's browser test needs Debian's chromium package. Install it with "
          + "`apt-get update && apt-get install -y chromium` (.ci/run does this before the build).");
    }
  }

  /** The DOM after the page's load event and scripts ran. */
  static String dumpDom(Path html) throws IOException, InterruptedException {
    return run(html, List.of("--dump-dom"));
  }

  /** Writes a PNG screenshot of the page at the given window size. */
  static void screenshot(Path html, Path png, int width, int height) throws IOException, InterruptedException {
    run(html, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars"));
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      fail("chromium wrote no screenshot to " + png);
    }
  }

  private static String run(Path html, List<String> extra) throws IOException, InterruptedException {
    requireInstalled();
    Path profile = Files.createTempDirectory("raftlab-chromium-profile");
    Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
    Path stderr = profile.resolveSibling(profile.getFileName() + ".err");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        // Lets the page's load handlers finish before the DOM is dumped or the screenshot taken.
        "--virtual-time-budget=5000"));
    command.addAll(extra);
    command.add(html.toAbsolutePath().toUri().toString());
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    try {
      if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
        fail("chromium did not finish within " + TIME_LIMIT_SECONDS + " s; stderr:\n" + tail(stderr));
      }
      if (process.exitValue() != 0) {
        fail("chromium exited with " + process.exitValue() + "; stderr:\n" + tail(stderr));
      }
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      killTree(process);
      deleteTree(profile);
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static void killTree(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    for (ProcessHandle p : tree) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : tree) {
      p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
    }
  }

  private static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
