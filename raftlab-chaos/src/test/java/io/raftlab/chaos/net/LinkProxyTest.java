package io.raftlab.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One directed link on plain sockets: an echo server behind a {@link LinkProxy}. */
class LinkProxyTest {

  private EchoServer echo;
  private LinkProxy proxy;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    echo = new EchoServer();
    proxy = new LinkProxy("a->b", echo::address);
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket s : clients) {
      s.close();
    }
    proxy.close();
    echo.close();
  }

  private Socket connect(String address, int readTimeoutMillis) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket s = new Socket();
    clients.add(s);
    s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 2000);
    s.setTcpNoDelay(true);
    s.setSoTimeout(readTimeoutMillis);
    return s;
  }

  static String roundTrip(Socket s, String message) throws IOException {
    byte[] out = message.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(out);
    return readExactly(s, out.length);
  }

  static String readExactly(Socket s, int len) throws IOException {
    byte[] in = new byte[len];
    InputStream is = s.getInputStream();
    int got = 0;
    while (got < len) {
      int n = is.read(in, got, len - got);
      if (n < 0) {
        throw new IOException("end of stream after " + got + " of " + len + " bytes");
      }
      got += n;
    }
    return new String(in, StandardCharsets.UTF_8);
  }

  @Test
  void forwardsBytesBothWaysAndCountsThem() throws Exception {
    Socket s = connect(proxy.address(), 2000);
    assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    assertThat(roundTrip(s, "x".repeat(100_000))).isEqualTo("x".repeat(100_000));
    // A pump counts a chunk once its write returned, which may be just after the echo arrived.
    awaitCondition(() -> proxy.counters().bytesForward() == 100_005 && proxy.counters().bytesBackward() == 100_005, Duration.ofSeconds(5));
    LinkProxy.Counters c = proxy.counters();
    assertThat(c.bytesForward()).isEqualTo(100_005);
    assertThat(c.bytesBackward()).isEqualTo(100_005);
    assertThat(c.connectionsAccepted()).isEqualTo(1);
    assertThat(c.currentConnections()).isEqualTo(1);
    connect(proxy.address(), 2000);
    assertThat(roundTrip(clients.get(1), "two")).isEqualTo("two");
    assertThat(proxy.counters().connectionsAccepted()).isEqualTo(2);
    assertThat(proxy.counters().currentConnections()).isEqualTo(2);
  }

  @Test
  void aClosedClientConnectionIsNoLongerCurrent() throws Exception {
    Socket s = connect(proxy.address(), 2000);
    assertThat(roundTrip(s, "hi")).isEqualTo("hi");
    s.close();
    awaitCondition(() -> proxy.counters().currentConnections() == 0, Duration.ofSeconds(5));
    assertThat(proxy.counters().connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void aBlockedLinkMakesReadsTimeOutNotFailOnExistingAndNewConnections() throws IOException {
    Socket existing = connect(proxy.address(), 300);
    assertThat(roundTrip(existing, "before")).isEqualTo("before");
    proxy.block();
    assertThatThrownBy(() -> roundTrip(existing, "during")).isInstanceOf(SocketTimeoutException.class);
    Socket fresh = connect(proxy.address(), 300); // accepted, not refused
    assertThatThrownBy(() -> roundTrip(fresh, "new")).isInstanceOf(SocketTimeoutException.class);
    assertThat(proxy.counters().bytesForward()).isEqualTo(6);
  }

  @Test
  void unblockDeliversHeldBytesInOrderAndNewConnectionsWork() throws IOException {
    Socket existing = connect(proxy.address(), 300);
    proxy.block();
    existing.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> readExactly(existing, 4)).isInstanceOf(SocketTimeoutException.class);
    proxy.unblock();
    existing.setSoTimeout(2000);
    assertThat(readExactly(existing, 4)).isEqualTo("held");
    assertThat(roundTrip(existing, "after")).isEqualTo("after");
    assertThat(roundTrip(connect(proxy.address(), 2000), "fresh")).isEqualTo("fresh");
  }

  @Test
  void aBlockedLinkStallsTheSenderThroughTcpFlowControl() throws Exception {
    Socket s = connect(proxy.address(), 300);
    proxy.block();
    AtomicReference<Long> written = new AtomicReference<>(0L);
    Thread writer = new Thread(() -> {
      byte[] chunk = new byte[64 * 1024];
      try {
        for (int i = 0; i < 2048; i++) { // 128 MiB: far beyond the socket buffers
          s.getOutputStream().write(chunk);
          written.set(written.get() + chunk.length);
        }
      } catch (IOException ignored) {
        // closed at the end of the test
      }
    });
    writer.setDaemon(true);
    writer.start();
    writer.join(1500);
    assertThat(writer.isAlive()).as("writer must be stalled, wrote %d bytes", written.get()).isTrue();
    assertThat(written.get()).isLessThan(128L * 1024 * 1024);
    s.close();
    writer.join(2000);
  }

  @Test
  void delayAddsAtLeastTheDelayToARoundTrip() throws IOException {
    Socket s = connect(proxy.address(), 5000);
    roundTrip(s, "warm");
    proxy.delay(Duration.ofMillis(150), Duration.ZERO);
    long t0 = System.nanoTime();
    assertThat(roundTrip(s, "slow")).isEqualTo("slow");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    proxy.delay(Duration.ZERO, Duration.ZERO);
    long t1 = System.nanoTime();
    assertThat(roundTrip(s, "fast")).isEqualTo("fast");
    assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofMillis(150));
  }

  @Test
  void jitterNeverReordersBytesWithinAConnection() throws IOException {
    Socket s = connect(proxy.address(), 5000);
    proxy.delay(Duration.ofMillis(1), Duration.ofMillis(20));
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      String piece = i + ",";
      sent.append(piece);
      s.getOutputStream().write(piece.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
    }
    assertThat(readExactly(s, sent.length())).isEqualTo(sent.toString());
  }

  @Test
  void resetClosesCurrentConnectionsWithRstAndNewOnesWork() throws Exception {
    Socket s = connect(proxy.address(), 2000);
    assertThat(roundTrip(s, "one")).isEqualTo("one");
    proxy.resetConnections();
    assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    awaitCondition(() -> proxy.counters().currentConnections() == 0, Duration.ofSeconds(5));
    assertThat(roundTrip(connect(proxy.address(), 2000), "two")).isEqualTo("two");
    assertThat(proxy.counters().connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void aTargetThatIsDownLooksLikeAResetNotAHang() throws IOException {
    String down = echo.address();
    echo.close();
    try (LinkProxy toNothing = new LinkProxy("a->down", () -> down)) {
      // The reset may already have arrived when the socket is configured, or only at the read.
      assertThatThrownBy(() -> connect(toNothing.address(), 3000).getInputStream().read()).isInstanceOf(SocketException.class);
      assertThat(toNothing.counters().connectionsAccepted()).isEqualTo(1);
    }
  }

  @Test
  void theTargetIsAskedAgainForEveryConnection() throws IOException {
    try (EchoServer second = new EchoServer()) {
      AtomicReference<String> target = new AtomicReference<>(echo.address());
      try (LinkProxy moving = new LinkProxy("a->moving", target::get)) {
        assertThat(roundTrip(connect(moving.address(), 2000), "first")).isEqualTo("first");
        echo.close(); // the node "restarts" on another port
        target.set(second.address());
        assertThat(roundTrip(connect(moving.address(), 2000), "second")).isEqualTo("second");
      }
    }
  }

  @Test
  void closeEndsEveryThreadAndSocketItOpened() throws Exception {
    Socket s = connect(proxy.address(), 2000);
    assertThat(roundTrip(s, "x")).isEqualTo("x");
    Socket held = connect(proxy.address(), 2000);
    proxy.delay(Duration.ofMillis(5), Duration.ZERO);
    roundTrip(held, "y"); // starts a delay writer thread too
    proxy.block();
    connect(proxy.address(), 2000); // one waiting at the gate
    assertThat(proxy.liveThreads()).isGreaterThanOrEqualTo(5);
    String address = proxy.address();
    proxy.close();
    assertThat(proxy.liveThreads()).isZero();
    assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("link-proxy a->b")).toList()).isEmpty();
    assertThat(proxy.counters().currentConnections()).isZero();
    assertThatThrownBy(() -> connect(address, 1000)).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
  }

  static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(10);
    }
  }
}
