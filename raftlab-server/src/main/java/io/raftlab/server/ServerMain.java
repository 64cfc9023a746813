package io.raftlab.server;

import io.raftlab.server.config.Member;
import io.raftlab.server.config.ServerConfig;
import io.raftlab.server.config.ServerConfigException;
import io.raftlab.storage.lock.DataDirectoryLockedException;
import io.raftlab.storage.wal.CorruptLogException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node until SIGTERM. Arguments: {@code --config FILE.yaml}, {@code --member
 * ID=PEER,CLIENT} (repeatable), and {@code --NAME VALUE} (or {@code --NAME=VALUE}) for every
 * parameter in {@link ServerConfig#PARAMETERS}; flags override the file.
 */
public final class ServerMain {

  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  /** Exit status when the node stops because it could not persist: fail-stop, data kept. */
  public static final int EXIT_FATAL = 70;

  private ServerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Parses, starts and blocks; returns an exit status (2 for bad configuration or storage). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    ServerConfig config;
    try {
      config = parse(args);
    } catch (ServerConfigException e) {
      err.println("raftlab server: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("raftlab server: " + e.getMessage());
      return 2;
    }
    pauseWarning(config.electionTimeoutMinMillis(),
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList())
        .ifPresent(w -> {
          log.warn(w);
          err.println("raftlab server " + config.id() + ": warning: " + w);
        });
    RaftServer server = new RaftServer(config);
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      server.start(t -> {
        // Fail-stop: a node that cannot persist must not go on answering.
        log.error("{}: fatal error, stopping: {}", config.id(), t.toString(), t);
        err.println("raftlab server " + config.id() + ": fatal: " + t);
        err.flush();
        Runtime.getRuntime().halt(EXIT_FATAL);
      });
    } catch (CorruptLogException | DataDirectoryLockedException e) {
      err.println("raftlab server " + config.id() + ": " + e.getMessage());
      server.close();
      return 2;
    } catch (IOException | IllegalStateException e) {
      err.println("raftlab server " + config.id() + ": cannot start: " + e.getMessage());
      server.close();
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "raftlab-shutdown"));
    out.println("raftlab node " + config.id() + " ready: peer=" + server.peerAddress() + " client=" + server.clientAddress()
        + " metrics=" + server.metricsAddress() + " data=" + config.dataDir());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Below this minimum election timeout (ms) a node should run a concurrent collector. */
  public static final long CONCURRENT_GC_BELOW_MILLIS = 100;

  /**
   * A warning when the election timeout is shorter than this JVM's collector may stop it: a
   * stop-the-world pause longer than the timeout is an election. Concurrent collectors (ZGC,
   * Shenandoah) pause for well under a millisecond; {@code collectors} are the JVM's collector names.
   */
  public static Optional<String> pauseWarning(long electionTimeoutMinMillis, List<String> collectors) {
    boolean concurrent = collectors.stream().anyMatch(n -> n.startsWith("ZGC") || n.startsWith("Shenandoah"));
    if (concurrent || electionTimeoutMinMillis >= CONCURRENT_GC_BELOW_MILLIS) {
      return Optional.empty();
    }
    return Optional.of("election-timeout-min-millis is " + electionTimeoutMinMillis + " ms, but this JVM's collector ("
        + String.join(", ", collectors) + ") stops the node for pauses that can last longer; each such pause is an"
        + " election. Run nodes with a concurrent collector (-XX:+UseZGC) or a timeout of at least "
        + CONCURRENT_GC_BELOW_MILLIS + " ms.");
  }

  public static ServerConfig parse(String[] args) throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    List<Member> members = new ArrayList<>();
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new ServerConfigException("unexpected argument '" + a + "' (parameters are --NAME VALUE)");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new ServerConfigException(name + ": missing value");
        }
        value = args[++i];
      }
      switch (name) {
        case "config" -> configFile = Path.of(value);
        case "member" -> members.add(Member.parse(value));
        default -> flags.put(name, value);
      }
    }
    return ServerConfig.load(configFile, flags, members);
  }

  /** One line per parameter, for --help. */
  public static String parameterHelp() {
    StringBuilder sb = new StringBuilder("Parameters (YAML keys in --config FILE, or flags --NAME VALUE):\n");
    sb.append(String.format("  %-30s %s%n", "member ID=PEER,CLIENT", "a member and its addresses (repeat per member; host:port or @path/ports.json)"));
    for (var p : ServerConfig.PARAMETERS) {
      sb.append(String.format("  %-30s %s%s%n", p.name(), p.description(), p.defaultValue().isEmpty() ? "" : " [" + p.defaultValue() + "]"));
    }
    return sb.toString();
  }
}
