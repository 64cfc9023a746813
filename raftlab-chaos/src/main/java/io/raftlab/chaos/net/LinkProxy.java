package io.raftlab.chaos.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One directed link as a TCP proxy on 127.0.0.1: the sender dials {@link #address()}, the proxy
 * dials the target (asked at every new connection, so a restarted node on a new port is found)
 * and copies bytes both ways, one thread per direction.
 *
 * <p>Faults: {@link #block()} is a blackhole: connections are still accepted and kept open, but
 * nothing moves in either direction and the proxy stops reading, so TCP flow control backs up to
 * the sender and its requests time out rather than fail fast. {@link #delay} holds every chunk the
 * sender writes for delay + random(0..jitter), keeping the order within a connection; bytes
 * flowing back on the same connections are not delayed (the reverse link has its own proxy).
 * {@link #resetConnections()} aborts the current connections with RST.
 */
public final class LinkProxy implements AutoCloseable {

  /** Counters since the proxy started. */
  public record Counters(long bytesForward, long bytesBackward, long connectionsAccepted, int currentConnections) {}

  private static final int CHUNK = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private final String name;
  private final Supplier<String> target;
  private final ServerSocket server;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threadSeq = new AtomicInteger();
  private final LongAdder bytesForward = new LongAdder();
  private final LongAdder bytesBackward = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  /** Monitor for {@link #blocked}; pumps wait on it while the link is blocked. */
  private final Object gate = new Object();
  private boolean blocked;
  private volatile long delayNanos;
  private volatile long jitterNanos;
  private volatile boolean closed;

  /**
   * Starts listening on 127.0.0.1 on a port chosen by the OS.
   *
   * @param name   shown in thread names and errors, e.g. {@code n1->n2}
   * @param target the address to dial for each new connection, {@code host:port}; null while unknown
   *               (the accepted connection is then reset, as a refused connect would be)
   */
  public LinkProxy(String name, Supplier<String> target) throws IOException {
    this.name = name;
    this.target = target;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    spawn("accept", this::acceptLoop);
  }

  public String name() {
    return name;
  }

  /** Where the sender should dial: {@code 127.0.0.1:PORT}. */
  public String address() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Blackholes the link: nothing is forwarded either way on new or existing connections. */
  public void block() {
    synchronized (gate) {
      blocked = true;
    }
  }

  /** Forwards again; what was held while blocked is delivered, in order. */
  public void unblock() {
    synchronized (gate) {
      blocked = false;
      gate.notifyAll();
    }
  }

  public boolean isBlocked() {
    synchronized (gate) {
      return blocked;
    }
  }

  /** Delays each chunk the sender writes by {@code delay} + random(0..{@code jitter}); zero and zero forward at once. */
  public void delay(Duration delay, Duration jitter) {
    if (delay.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("delay and jitter must be >= 0, got delay=" + delay + " jitter=" + jitter + " on link " + name);
    }
    delayNanos = delay.toNanos();
    jitterNanos = jitter.toNanos();
  }

  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  public Duration jitter() {
    return Duration.ofNanos(jitterNanos);
  }

  /** Aborts every current connection with RST (SO_LINGER 0) on both sides; new connections are accepted as before. */
  public void resetConnections() {
    for (Connection c : List.copyOf(connections)) {
      c.close(true);
    }
  }

  public Counters counters() {
    return new Counters(bytesForward.sum(), bytesBackward.sum(), accepted.sum(), connections.size());
  }

  /** Threads this proxy runs now (for leak checks). */
  public int liveThreads() {
    return (int) threads.stream().filter(Thread::isAlive).count();
  }

  /** Stops listening, resets every connection and waits for the proxy's threads to end. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    resetConnections();
    synchronized (gate) {
      gate.notifyAll();
    }
    // Loop: a connection's handler may have spawned its second pump just before being reset.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!threads.isEmpty() && System.nanoTime() < deadline) {
      for (Thread t : List.copyOf(threads)) {
        try {
          t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.increment();
      Connection c = new Connection(s);
      connections.add(c);
      if (closed) {
        c.close(true);
        return;
      }
      spawn("forward", c::run);
    }
  }

  private void spawn(String role, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, "link-proxy " + name + " " + role + "-" + threadSeq.incrementAndGet());
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Waits while the link is blocked; false once the connection or the proxy is closed. */
  private boolean awaitOpen(Connection c) {
    synchronized (gate) {
      while (blocked && !c.closed && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !c.closed && !closed;
    }
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("target address '" + hostPort + "' must look like host:port");
    }
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** One accepted connection and the one the proxy dialed for it. */
  private final class Connection {
    private final Socket client;
    private volatile Socket upstream;
    private volatile boolean closed;
    private final AtomicInteger directionsDone = new AtomicInteger();
    /** Chunks waiting for their delay; guarded by itself. The head stays queued until written. */
    private final ArrayDeque<Chunk> delayed = new ArrayDeque<>();
    private long lastDue;
    private boolean writerStarted;

    Connection(Socket client) {
      this.client = client;
    }

    /** The handler thread: dials the target, then copies sender -> target itself. */
    void run() {
      try {
        client.setTcpNoDelay(true);
        if (!awaitOpen(this)) { // a blackhole does not even reach the target
          return;
        }
        String addr = target.get();
        if (addr == null) {
          close(true);
          return;
        }
        Socket up = new Socket();
        try {
          up.setTcpNoDelay(true);
          up.connect(parse(addr), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException | RuntimeException e) {
          up.close();
          close(true); // the sender sees a reset, as if the target refused it
          return;
        }
        synchronized (this) {
          if (closed) {
            up.close();
            return;
          }
          upstream = up;
        }
        spawn("backward", () -> pump(up, client, bytesBackward, false));
        pump(client, up, bytesForward, true);
      } catch (IOException e) {
        close(true);
      }
    }

    private void pump(Socket from, Socket to, LongAdder counter, boolean forward) {
      byte[] buf = new byte[CHUNK];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (true) {
          if (!awaitOpen(this)) { // blocked: stop reading, let TCP flow control stall the sender
            return;
          }
          int n = in.read(buf);
          if (!awaitOpen(this)) { // blocked while reading: hold the chunk
            return;
          }
          if (forward) {
            send(buf, n, out, to);
          } else if (n < 0) {
            endDirection(to);
            return;
          } else {
            out.write(buf, 0, n);
            counter.add(n);
          }
          if (n < 0) {
            return;
          }
        }
      } catch (IOException e) {
        close(true); // one side broke: the other side sees a reset too
      }
    }

    /** Forwards a chunk (n < 0: end of stream) at once, or queues it behind the delayed ones. */
    private void send(byte[] buf, int n, OutputStream out, Socket to) throws IOException {
      long d = delayNanos;
      long j = jitterNanos;
      synchronized (delayed) {
        if (d == 0 && j == 0 && delayed.isEmpty()) {
          if (n < 0) {
            endDirection(to);
          } else {
            out.write(buf, 0, n);
            bytesForward.add(n);
          }
          return;
        }
        long due = System.nanoTime() + d + (j == 0 ? 0 : ThreadLocalRandom.current().nextLong(j + 1));
        due = Math.max(due, lastDue); // never overtake an earlier chunk
        lastDue = due;
        delayed.add(new Chunk(n < 0 ? null : Arrays.copyOf(buf, n), due));
        delayed.notifyAll();
        if (!writerStarted) {
          writerStarted = true;
          spawn("delay", () -> writeDelayed(out, to));
        }
      }
    }

    private void writeDelayed(OutputStream out, Socket to) {
      try {
        while (true) {
          Chunk c;
          synchronized (delayed) {
            while (delayed.isEmpty() && !closed) {
              delayed.wait();
            }
            if (closed) {
              return;
            }
            c = delayed.peek();
          }
          long wait;
          while ((wait = c.dueNanos - System.nanoTime()) > 0 && !closed) {
            LockSupport.parkNanos(wait);
          }
          if (!awaitOpen(this)) {
            return;
          }
          synchronized (delayed) {
            if (c.data == null) {
              endDirection(to);
            } else {
              out.write(c.data);
              bytesForward.add(c.data.length);
            }
            delayed.poll();
          }
          if (c.data == null) {
            return;
          }
        }
      } catch (IOException e) {
        close(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Passes an end of stream on (half-close); the connection closes when both directions ended. */
    private void endDirection(Socket to) {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // the other side is gone already
      }
      if (directionsDone.incrementAndGet() == 2) {
        close(false);
      }
    }

    void close(boolean reset) {
      Socket up;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        up = upstream;
      }
      abort(client, reset);
      if (up != null) {
        abort(up, reset);
      }
      connections.remove(this);
      synchronized (gate) {
        gate.notifyAll();
      }
      synchronized (delayed) {
        delayed.clear();
        delayed.notifyAll();
      }
    }

    private void abort(Socket s, boolean reset) {
      try {
        if (reset) {
          s.setSoLinger(true, 0);
        }
        s.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private record Chunk(byte[] data, long dueNanos) {}
}
