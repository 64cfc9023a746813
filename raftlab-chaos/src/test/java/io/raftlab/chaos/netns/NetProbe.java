package io.raftlab.chaos.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A process run inside a namespace by the tests: a TCP echo server and a UDP receiver on the given
 * ports, plus commands on stdin that probe other addresses from inside the namespace.
 * Output lines: "ready", "udp TOKEN", and one answer per command.
 */
public final class NetProbe {

  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  public static void main(String[] args) throws IOException {
    int tcpPort = Integer.parseInt(args[0]);
    int udpPort = Integer.parseInt(args[1]);
    ServerSocket server = new ServerSocket(tcpPort);
    DatagramSocket udp = new DatagramSocket(udpPort);
    daemon(() -> acceptLoop(server));
    daemon(() -> receiveLoop(udp));
    say("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      switch (w[0]) {
        case "echo" -> say("echo " + echo(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3])));
        case "udp" -> {
          byte[] b = w[3].getBytes(StandardCharsets.UTF_8);
          try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(w[1], Integer.parseInt(w[2]))));
            say("sent");
          } catch (IOException e) {
            say("sent-error " + e);
          }
        }
        default -> say("unknown " + line);
      }
    }
    System.exit(0);
  }

  /** Connects, sends a line and reads it back: OK, TIMEOUT (no answer), REFUSED, or ERROR. */
  private static String echo(String host, int port, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
      byte[] b = new byte[5];
      int n = 0;
      while (n < 5) {
        int r = s.getInputStream().read(b, n, 5 - n);
        if (r < 0) {
          return "ERROR closed";
        }
        n += r;
      }
      return "OK";
    } catch (SocketTimeoutException e) {
      return "TIMEOUT";
    } catch (ConnectException e) {
      return e.getMessage().contains("refused") ? "REFUSED" : "ERROR " + e.getMessage().replace(' ', '_');
    } catch (IOException e) {
      return "ERROR " + e.toString().replace(' ', '_');
    }
  }

  private static void acceptLoop(ServerSocket server) {
    while (true) {
      try {
        Socket s = server.accept();
        daemon(() -> {
          try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
              out.write(buf, 0, n);
            }
          } catch (IOException ignored) {
            // peer gone
          }
        });
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void receiveLoop(DatagramSocket udp) {
    byte[] buf = new byte[512];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
      } catch (IOException e) {
        return;
      }
      say("udp " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }
  }

  private static synchronized void say(String s) {
    OUT.println(s);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }
}
