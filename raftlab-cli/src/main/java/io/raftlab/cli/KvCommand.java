package io.raftlab.cli;

import io.raftlab.client.ClientOptions;
import io.raftlab.client.CompareAndSetResult;
import io.raftlab.client.DeleteResult;
import io.raftlab.client.GetResult;
import io.raftlab.client.KvException;
import io.raftlab.client.PutResult;
import io.raftlab.client.RaftlabClient;
import io.raftlab.client.ResponseInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftlab kv put|get|del|cas}: one key-value operation against a running cluster. */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    description = {
      "One key-value operation against a running cluster (leader found and followed automatically).",
      "Exit codes: 0 done, 1 key not found (get) or comparison failed (cas), 2 error (the write was NOT applied,",
      "or bad input), 3 outcome unknown (the write may or may not have been applied)."
    },
    subcommands = {
      KvCommand.Put.class, KvCommand.Get.class, KvCommand.Delete.class, KvCommand.CompareAndSet.class
    })
public final class KvCommand implements Runnable {

  static final int OK = 0;
  static final int NEGATIVE = 1;
  static final int ERROR = 2;
  static final int UNKNOWN_OUTCOME = 3;
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every kv subcommand shares: target cluster, time budget, error reporting. */
  abstract static class Operation implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ClusterTarget target;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
        description = "Total time for the operation including retries, e.g. 500ms, 10s (1ms to 10m; default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = {"-v", "--verbose"}, description = "Also print which node answered, its term and the log index.")
    boolean verbose;

    abstract int run(RaftlabClient client, PrintWriter out, PrintWriter err);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      RaftlabClient client;
      try {
        Duration total = DurationOption.parse(timeout, "--timeout", Duration.ofMillis(1), MAX_TIMEOUT);
        List<io.raftlab.client.EndpointAddress> endpoints = target.addresses();
        Duration perCall = total.compareTo(ClientOptions.DEFAULT_CALL_TIMEOUT) < 0 ? total : ClientOptions.DEFAULT_CALL_TIMEOUT;
        client = RaftlabClient.connect(endpoints,
            ClientOptions.builder().totalDeadline(total).callTimeout(perCall).build());
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return ERROR;
      }
      try (client) {
        return run(client, out, err);
      } catch (KvException e) {
        if (verbose) {
          for (int i = 0; i < e.attempts().size(); i++) {
            err.println("attempt " + (i + 1) + ": " + e.attempts().get(i));
          }
        }
        if (e.outcome() == KvException.Outcome.UNKNOWN) {
          err.println("outcome unknown: the write may or may not have been applied: " + e.getMessage());
          return UNKNOWN_OUTCOME;
        }
        err.println("error: " + e.getMessage());
        return ERROR;
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return ERROR;
      }
    }

    void printInfo(PrintWriter err, ResponseInfo info) {
      if (verbose) {
        err.println("answered by " + info.nodeId() + " at " + info.endpoint() + ", term " + info.term()
            + ", index " + info.index() + ", " + info.attempts() + (info.attempts() == 1 ? " attempt" : " attempts")
            + (info.sequence() > 0 ? ", session " + info.clientId() + " #" + info.sequence() : ""));
      }
    }

    static String quoted(Optional<String> v) {
      return v.map(s -> "\"" + s + "\"").orElse("absent");
    }
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Sets KEY to VALUE; prints the previous value.")
  static final class Put extends Operation {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    int run(RaftlabClient client, PrintWriter out, PrintWriter err) {
      PutResult r = client.put(key, value);
      out.println("OK: " + key + " = \"" + value + "\" (previous: " + quoted(r.previous()) + ")");
      printInfo(err, r.info());
      return OK;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Prints the value of KEY (a linearizable read); exit code 1 if the key does not exist.")
  static final class Get extends Operation {
    @Parameters(index = "0", paramLabel = "KEY") String key;

    @Override
    int run(RaftlabClient client, PrintWriter out, PrintWriter err) {
      GetResult r = client.get(key);
      printInfo(err, r.info());
      if (r.value().isEmpty()) {
        err.println("not found: " + key);
        return NEGATIVE;
      }
      out.println(r.value().get());
      return OK;
    }
  }

  @Command(name = "del", aliases = "delete", mixinStandardHelpOptions = true, description = "Deletes KEY.")
  static final class Delete extends Operation {
    @Parameters(index = "0", paramLabel = "KEY") String key;

    @Override
    int run(RaftlabClient client, PrintWriter out, PrintWriter err) {
      DeleteResult r = client.delete(key);
      out.println(r.deleted() ? "OK: deleted " + key : "OK: " + key + " did not exist (nothing deleted)");
      printInfo(err, r.info());
      return OK;
    }
  }

  @Command(name = "cas", mixinStandardHelpOptions = true,
      description = {
        "Sets KEY to NEW only if its value is EXPECTED; EXPECTED '-' (or --absent with only KEY NEW) means",
        "'only if KEY does not exist'. Exit code 1 if the comparison failed (the current value is printed)."
      })
  static final class CompareAndSet extends Operation {
    @Option(names = "--absent", description = "Succeed only if KEY does not exist; then give only KEY and NEW.")
    boolean absent;

    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1..*", arity = "1..2", paramLabel = "[EXPECTED] NEW") List<String> rest;

    @Override
    int run(RaftlabClient client, PrintWriter out, PrintWriter err) {
      String expected;
      String newValue;
      if (absent) {
        if (rest.size() != 1) {
          throw new IllegalArgumentException("cas --absent takes KEY NEW; got " + (rest.size() + 1) + " arguments");
        }
        expected = null;
        newValue = rest.get(0);
      } else {
        if (rest.size() != 2) {
          throw new IllegalArgumentException("cas takes KEY EXPECTED NEW (EXPECTED '-' = absent) or --absent KEY NEW");
        }
        expected = rest.get(0).equals("-") ? null : rest.get(0);
        newValue = rest.get(1);
      }
      CompareAndSetResult r = client.compareAndSet(key, expected, newValue);
      printInfo(err, r.info());
      if (r.succeeded()) {
        out.println("OK: " + key + " = \"" + newValue + "\"");
        return OK;
      }
      out.println("cas failed: " + key + " is " + quoted(r.current()) + ", expected "
          + (expected == null ? "absent" : "\"" + expected + "\""));
      return NEGATIVE;
    }
  }
}
