package io.raftlab.server.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Sends a signal (STOP, CONT, ...) to a process by its pid, with kill(1): Java has no API for it. */
public final class ProcessSignals {

  private ProcessSignals() {}

  public static void send(long pid, String signal) throws IOException {
    try {
      Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IOException("kill -" + signal + " " + pid + " failed: " + new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending SIG" + signal + " to " + pid, e);
    }
  }
}
