package io.raftlab.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftlab.client.EndpointAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code cluster.json}, which {@code raftlab cluster up} writes into the cluster's base
 * directory: {@code {"nodes":[{"id":"n1","clientAddress":"127.0.0.1:4321",...}]}}. Only the
 * fields the client commands need are read; others are ignored.
 */
final class ClusterFile {

  static final String FILE_NAME = io.raftlab.server.launch.LocalCluster.CLUSTER_FILE;

  /** One node as listed in the file; admin and KV services share the client address. */
  record Node(String id, EndpointAddress clientAddress) {}

  private ClusterFile() {}

  static List<Node> read(Path clusterDir) {
    Path file = clusterDir.resolve(FILE_NAME);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no cluster file " + file
          + ": start a cluster with 'raftlab cluster up', point --cluster-dir at its base directory,"
          + " or pass --endpoints host:port,...");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read cluster file " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new IllegalArgumentException(file + ": not valid JSON" + where + ": " + e.getOriginalMessage());
    }
    JsonNode nodes = root == null ? null : root.get("nodes");
    if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
      throw new IllegalArgumentException(file + ": expected a non-empty \"nodes\" array");
    }
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode n = nodes.get(i);
      String where = file + ": nodes[" + i + "]";
      JsonNode address = n.get("clientAddress");
      if (address == null || !address.isTextual()) {
        throw new IllegalArgumentException(where + " has no \"clientAddress\" string");
      }
      JsonNode id = n.get("id");
      out.add(new Node(id != null && id.isTextual() ? id.asText() : "?",
          EndpointAddress.parse(address.asText(), where + ".clientAddress")));
    }
    return List.copyOf(out);
  }
}
