package io.raftlab.chaos.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP server on 127.0.0.1 that writes back every byte it reads, one thread per connection. */
final class EchoServer implements AutoCloseable {

  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  EchoServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "echo-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void acceptLoop() {
    while (true) {
      Socket s;
      try {
        s = server.accept();
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        return;
      }
      sockets.add(s);
      Thread t = new Thread(() -> echo(s), "echo-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void echo(Socket s) {
    byte[] buf = new byte[8192];
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException ignored) {
      // the peer went away
    } finally {
      sockets.remove(s);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : List.copyOf(sockets)) {
      s.close();
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
