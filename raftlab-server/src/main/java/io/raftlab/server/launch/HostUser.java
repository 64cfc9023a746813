package io.raftlab.server.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process runs as, for what only root may do (network namespaces, negative nice values). */
public final class HostUser {

  private HostUser() {}

  /** Whether this process runs as root (effective uid 0), from /proc/self/status. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0"); // effective uid
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
