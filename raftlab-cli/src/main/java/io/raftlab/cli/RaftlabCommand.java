package io.raftlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code raftlab} command; each capability is a subcommand in its own class. */
@Command(
    name = "raftlab",
    mixinStandardHelpOptions = true,
    version = "raftlab 0.1.0-SNAPSHOT",
    description = "A Raft key-value store and a toolkit that tries to break Raft clusters.",
    subcommands = {
      // One line per subcommand; keep this list sorted by name.
      BenchCommand.class,
      CheckCommand.class,
      ClusterCommand.class,
      DemoCommand.class,
      FailoverCommand.class,
      CommandLine.HelpCommand.class,
      KvCommand.class,
      MonkeyCommand.class,
      ReportCommand.class,
      RunCommand.class,
      ServerCommand.class,
      SimCommand.class,
    })
public final class RaftlabCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code, without exiting (tests use this). */
  public static int execute(String... args) {
    return new CommandLine(new RaftlabCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
