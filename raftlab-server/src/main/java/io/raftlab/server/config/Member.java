package io.raftlab.server.config;

/**
 * One member of the cluster as this node reaches it. An address is {@code host:port}, or
 * {@code @/path/to/ports.json} to read it from that node's ports file when connecting (so nodes
 * that listen on port 0 still find each other).
 */
public record Member(String id, String peerAddress, String clientAddress) {

  /** Parses {@code id=PEER_ADDRESS,CLIENT_ADDRESS}. */
  public static Member parse(String spec) {
    int eq = spec.indexOf('=');
    int comma = spec.indexOf(',', Math.max(eq, 0));
    if (eq <= 0 || comma < 0) {
      throw new ServerConfigException("member: '" + spec + "' must look like ID=PEER_ADDRESS,CLIENT_ADDRESS");
    }
    return new Member(spec.substring(0, eq).trim(), spec.substring(eq + 1, comma).trim(), spec.substring(comma + 1).trim());
  }

  @Override
  public String toString() {
    return id + "=" + peerAddress + "," + clientAddress;
  }
}
