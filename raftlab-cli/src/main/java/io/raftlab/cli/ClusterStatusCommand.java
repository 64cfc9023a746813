package io.raftlab.cli;

import io.raftlab.api.admin.NodeState;
import io.raftlab.client.AdminClient;
import io.raftlab.client.AdminException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raftlab cluster status}: one row per node from its Admin GetState, in parallel. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Asks every node for its state and prints a table: node, address, role, term, leader, commit, applied,",
      "last index. Unreachable nodes are shown as such.",
      "Exit codes: 0 every node answered, 1 some did not, 2 none did or bad input."
    })
public final class ClusterStatusCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClusterTarget target;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s",
      description = "How long to wait for each node, e.g. 500ms, 2s (1ms to 10m; default ${DEFAULT-VALUE}).")
  String timeout;

  private record Row(ClusterFile.Node node, NodeState state, String failure) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<ClusterFile.Node> nodes;
    Duration wait;
    try {
      wait = DurationOption.parse(timeout, "--timeout", Duration.ofMillis(1), KvCommand.MAX_TIMEOUT);
      nodes = target.nodes();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return KvCommand.ERROR;
    }
    List<CompletableFuture<Row>> pending = new ArrayList<>();
    for (ClusterFile.Node n : nodes) {
      pending.add(CompletableFuture.supplyAsync(() -> ask(n, wait)));
    }
    List<Row> rows = pending.stream().map(CompletableFuture::join).toList();

    String[] header = {"NODE", "ADDRESS", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LAST INDEX"};
    List<String[]> table = new ArrayList<>();
    table.add(header);
    for (Row r : rows) {
      if (r.state == null) {
        table.add(new String[] {r.node.id(), r.node.clientAddress().toString(), r.failure, "", "", "", "", ""});
      } else {
        NodeState s = r.state;
        table.add(new String[] {
          s.getId().isEmpty() ? r.node.id() : s.getId(), r.node.clientAddress().toString(), s.getRole(),
          Long.toString(s.getTerm()), s.getLeader().isEmpty() ? "-" : s.getLeader(),
          Long.toString(s.getCommitIndex()), Long.toString(s.getLastApplied()), Long.toString(s.getLastIndex())});
      }
    }
    printTable(out, table);

    // Two leaders in one term would be a safety violation worth shouting about.
    Map<Long, List<String>> leadersByTerm = new TreeMap<>();
    for (Row r : rows) {
      if (r.state != null && r.state.getRole().equalsIgnoreCase("LEADER")) {
        leadersByTerm.computeIfAbsent(r.state.getTerm(), t -> new ArrayList<>()).add(r.state.getId());
      }
    }
    leadersByTerm.forEach((term, ids) -> {
      if (ids.size() > 1) {
        out.println("WARNING: " + ids.size() + " leaders in term " + term + ": " + String.join(", ", ids));
      }
    });

    long answered = rows.stream().filter(r -> r.state != null).count();
    if (answered == rows.size()) {
      return 0;
    }
    return answered == 0 ? KvCommand.ERROR : 1;
  }

  private static Row ask(ClusterFile.Node node, Duration wait) {
    try (AdminClient admin = AdminClient.connect(node.clientAddress(), wait)) {
      return new Row(node, admin.getState(), null);
    } catch (AdminException e) {
      String why = e.unreachable() ? "unreachable" : "error";
      return new Row(node, null, why + " (" + e.code() + ")");
    }
  }

  private static void printTable(PrintWriter out, List<String[]> table) {
    int columns = table.get(0).length;
    int[] width = new int[columns];
    for (String[] row : table) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : table) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        sb.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", row[i]));
      }
      out.println(sb.toString().stripTrailing());
    }
    out.flush();
  }
}
