package io.raftlab.server.config;

/**
 * One member of the cluster as this node reaches it. An address is {@code host:port}, or
 * {@code @/path/to/ports.json} to read it from that node's ports file when connecting (so nodes
 * that listen on port 0 still find each other). {@code clientAddress} is where clients reach the
 * member (and what redirects tell them); {@code forwardAddress} is where this node sends the
 * client requests it forwards to that member, which a test harness may route through a proxy.
 */
public record Member(String id, String peerAddress, String clientAddress, String forwardAddress) {

  public Member(String id, String peerAddress, String clientAddress) {
    this(id, peerAddress, clientAddress, clientAddress);
  }

  /** Parses {@code id=PEER_ADDRESS,CLIENT_ADDRESS[,FORWARD_ADDRESS]}. */
  public static Member parse(String spec) {
    int eq = spec.indexOf('=');
    String[] parts = eq <= 0 ? new String[0] : spec.substring(eq + 1).split(",", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new ServerConfigException("member: '" + spec + "' must look like ID=PEER_ADDRESS,CLIENT_ADDRESS[,FORWARD_ADDRESS]");
    }
    for (String p : parts) {
      if (p.isBlank()) {
        throw new ServerConfigException("member: '" + spec + "' has an empty address");
      }
    }
    String id = spec.substring(0, eq).trim();
    String client = parts[1].trim();
    return new Member(id, parts[0].trim(), client, parts.length == 3 ? parts[2].trim() : client);
  }

  @Override
  public String toString() {
    return id + "=" + peerAddress + "," + clientAddress + (forwardAddress.equals(clientAddress) ? "" : "," + forwardAddress);
  }
}
