package io.raftlab.chaos.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link NetProbe} running inside one node's namespace, driven over its stdin and stdout. */
final class ProbeProcess implements AutoCloseable {

  static final int TCP_PORT = 7000;
  static final int UDP_PORT = 7001;

  private final Process process;
  private final PrintStream commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Set<String> received = ConcurrentHashMap.newKeySet();

  ProbeProcess(NamespaceNetwork net, String node) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        NetProbe.class.getName(), String.valueOf(TCP_PORT), String.valueOf(UDP_PORT)));
    process = new ProcessBuilder(net.commandIn(node, argv)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("udp ")) {
            received.add(line.substring(4));
          } else {
            answers.add(line);
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "probe-" + node);
    reader.setDaemon(true);
    reader.start();
    String first = answers.poll(60, TimeUnit.SECONDS);
    if (!"ready".equals(first)) {
      close();
      throw new IOException("probe in " + node + " did not start: " + first);
    }
  }

  long pid() {
    return process.pid();
  }

  /** From inside this namespace: TCP connect + echo to host:port, "OK", "TIMEOUT", "REFUSED" or "ERROR ...". */
  String echo(String host, int port, Duration timeout) throws InterruptedException {
    commands.println("echo " + host + " " + port + " " + timeout.toMillis());
    String a = answers.poll(timeout.toMillis() * 3 + 30_000, TimeUnit.MILLISECONDS);
    return a == null ? "NO ANSWER" : a.substring("echo ".length());
  }

  /** From inside this namespace: one UDP datagram carrying {@code token} to host's probe. */
  void sendUdp(String host, String token) throws InterruptedException {
    commands.println("udp " + host + " " + UDP_PORT + " " + token);
    answers.poll(30, TimeUnit.SECONDS);
  }

  /** Whether a datagram with {@code token} arrives here within {@code within}. */
  boolean receives(String token, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (received.contains(token)) {
        return true;
      }
      Thread.sleep(20);
    }
    return received.contains(token);
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
