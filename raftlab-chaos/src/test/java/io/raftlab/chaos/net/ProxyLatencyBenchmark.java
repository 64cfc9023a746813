package io.raftlab.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Latency the proxy adds: 64-byte round trips to an echo server, directly and through a
 * forwarding {@link LinkProxy}, interleaved in blocks so both see the same machine load.
 * Run: {@code mvn -o -q -pl raftlab-chaos test -Pslow -Dtest=ProxyLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class ProxyLatencyBenchmark {

  private static final int MESSAGE = 64;
  private static final int BLOCK = 1_000;
  private static final int BLOCKS = 20;

  @Test
  void proxyAddsLittleLatencyToSmallRoundTrips() throws Exception {
    try (EchoServer echo = new EchoServer(); LinkProxy proxy = new LinkProxy("bench", echo::address);
        Socket direct = dial(echo.address()); Socket proxied = dial(proxy.address())) {
      Histogram directNs = new Histogram(3);
      Histogram proxiedNs = new Histogram(3);
      byte[] msg = new byte[MESSAGE];
      Arrays.fill(msg, (byte) 'm');
      for (int i = 0; i < 5_000; i++) { // warm-up: JIT, TCP windows
        roundTrip(direct, msg);
        roundTrip(proxied, msg);
      }
      for (int b = 0; b < BLOCKS; b++) {
        for (int i = 0; i < BLOCK; i++) {
          directNs.recordValue(roundTrip(direct, msg));
        }
        for (int i = 0; i < BLOCK; i++) {
          proxiedNs.recordValue(roundTrip(proxied, msg));
        }
      }
      double addedP50 = (proxiedNs.getValueAtPercentile(50) - directNs.getValueAtPercentile(50)) / 1000.0;
      double addedP99 = (proxiedNs.getValueAtPercentile(99) - directNs.getValueAtPercentile(99)) / 1000.0;
      String report = String.format("round trips of %d bytes, %d each way, load %s%n"
              + "direct   p50 %.1f us  p99 %.1f us%n"
              + "proxied  p50 %.1f us  p99 %.1f us%n"
              + "added    p50 %.1f us  p99 %.1f us%n",
          MESSAGE, BLOCK * BLOCKS, Files.readString(Path.of("/proc/loadavg")).trim(),
          directNs.getValueAtPercentile(50) / 1000.0, directNs.getValueAtPercentile(99) / 1000.0,
          proxiedNs.getValueAtPercentile(50) / 1000.0, proxiedNs.getValueAtPercentile(99) / 1000.0, addedP50, addedP99);
      System.out.print(report);
      Files.writeString(Path.of("target", "proxy-latency.txt"), report);
      long expected = (long) MESSAGE * (5_000 + BLOCK * BLOCKS);
      LinkProxyTest.awaitCondition(() -> proxy.counters().bytesForward() == expected, java.time.Duration.ofSeconds(5));
      assertThat(addedP50).as("added p50 in us").isLessThan(1_000.0);
    }
  }

  private static Socket dial(String address) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket s = new Socket();
    s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 2000);
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000);
    return s;
  }

  private static long roundTrip(Socket s, byte[] msg) throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    byte[] back = new byte[msg.length];
    long t0 = System.nanoTime();
    out.write(msg);
    int got = 0;
    while (got < back.length) {
      int n = in.read(back, got, back.length - got);
      if (n < 0) {
        throw new IOException("echo closed after " + got + " bytes");
      }
      got += n;
    }
    long t = System.nanoTime() - t0;
    if (!Arrays.equals(back, msg)) {
      throw new AssertionError("echo returned different bytes");
    }
    return t;
  }
}
