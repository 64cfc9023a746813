package io.raftlab.cli;

import io.raftlab.server.ServerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code raftlab server}: runs one node in the foreground until SIGTERM. */
@Command(
    name = "server",
    description = "Run one raftlab node until stopped (SIGTERM). Every parameter is a flag --NAME VALUE or a key in --config FILE.yaml.",
    footer = "%nExample: raftlab server --id n1 --data-dir data/n1 --member n1=127.0.0.1:7001,127.0.0.1:8001 \\%n"
        + "           --member n2=127.0.0.1:7002,127.0.0.1:8002 --member n3=127.0.0.1:7003,127.0.0.1:8003 --peer-port 7001 --client-port 8001")
public final class ServerCommand implements Callable<Integer> {

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    if (args.contains("--help") || args.contains("-h")) {
      System.out.println("Usage: raftlab server [--config FILE.yaml] [--member ID=PEER,CLIENT]... [--NAME VALUE]...");
      System.out.println(ServerMain.parameterHelp());
      return 0;
    }
    return ServerMain.run(args.toArray(new String[0]), System.out, System.err);
  }
}
