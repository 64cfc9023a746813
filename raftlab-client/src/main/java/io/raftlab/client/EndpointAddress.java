package io.raftlab.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A node's client address, {@code host:port}, as given on the command line or in cluster.json. */
public record EndpointAddress(String host, int port) {

  public EndpointAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("endpoint host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port " + port + " is outside the allowed range 1..65535");
    }
  }

  /**
   * Parses {@code host:port} (IPv6 hosts in brackets: {@code [::1]:4321}).
   *
   * @param parameter what the text came from, named in the error message (e.g. "--endpoints")
   */
  public static EndpointAddress parse(String text, String parameter) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(parameter + ": empty endpoint; expected host:port");
    }
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException(
          parameter + ": endpoint '" + text + "' is not host:port (e.g. 127.0.0.1:4321)");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          parameter + ": endpoint '" + text + "' has an IPv6 host without brackets; write [host]:port");
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          parameter + ": endpoint '" + text + "' has a port that is not a number; allowed range 1..65535");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          parameter + ": endpoint '" + text + "' has port " + port + ", outside the allowed range 1..65535");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException(parameter + ": endpoint '" + text + "' has an empty host");
    }
    return new EndpointAddress(host, port);
  }

  /** Parses a comma-separated list; at least one endpoint, no duplicates. */
  public static List<EndpointAddress> parseList(String commaSeparated, String parameter) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      throw new IllegalArgumentException(parameter + ": no endpoints given; expected host:port[,host:port...]");
    }
    List<EndpointAddress> out = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      EndpointAddress e = parse(part, parameter);
      if (out.contains(e)) {
        throw new IllegalArgumentException(parameter + ": endpoint '" + e + "' is listed twice");
      }
      out.add(e);
    }
    return List.copyOf(out);
  }

  /** The form gRPC targets and the server's leader-address trailer use. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
