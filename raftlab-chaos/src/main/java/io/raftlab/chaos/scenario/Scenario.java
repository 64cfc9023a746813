package io.raftlab.chaos.scenario;

import java.util.List;
import java.util.Map;

/**
 * A parsed scenario script.
 *
 * @param source the file name used in messages
 * @param text the script as written (copied to the run directory as script.txt)
 * @param nodes the cluster size
 * @param nodeParams node parameters from {@code set-param}, in script order
 * @param steps the statements after {@code start}, in order
 * @param startLine the line of {@code start}
 */
public record Scenario(String source, String text, int nodes, Map<String, String> nodeParams, List<Statement> steps,
    int startLine) {}
