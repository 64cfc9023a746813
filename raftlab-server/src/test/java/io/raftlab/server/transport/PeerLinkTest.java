package io.raftlab.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.raftlab.api.peer.RaftMessage;
import io.raftlab.core.Entry;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One link against a real gRPC server on loopback: what is delivered, what is dropped, and why, and on which threads. */
class PeerLinkTest {

  private TestPeer peer;
  private PeerLink link;
  private TransportThreads threads;
  private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor();
  @TempDir
  Path dir;

  @AfterEach
  void stop() throws InterruptedException {
    if (link != null) {
      link.close();
    }
    connector.shutdownNow();
    if (peer != null) {
      peer.close();
    }
    if (threads != null) {
      threads.close();
    }
  }

  private static RaftMessage heartbeat(int i) {
    return MessageCodec.encode(Message.of(MessageType.HEARTBEAT, "n1", "n2", 1).commit(i).build());
  }

  private static RaftMessage append(int kib) {
    return MessageCodec.encode(Message.of(MessageType.APPEND, "n1", "n2", 1)
        .entries(List.of(Entry.normal(1, 1, new byte[kib * 1024]))).build());
  }

  @Test
  void messagesSentWhileANewStreamIsStillConnectingAreDeliveredNotDropped() throws Exception {
    peer = new TestPeer(true, UnaryOperator.identity());
    LongAdder dropped = new LongAdder();
    link = new PeerLink("n2", peer.address(), dropped, UnaryOperator.identity(), connector);
    // A candidate's vote requests go out on a stream opened that very moment.
    for (int i = 1; i <= 5; i++) {
      link.send(heartbeat(i));
    }
    assertThat(peer.awaitReceived(5)).isTrue();
    assertThat(peer.received.get()).isEqualTo(5);
    assertThat(dropped.sum()).isZero();
  }

  @Test
  void aSenderNeverWaitsWhileTheLinkResolvesAndOpensItsStream() throws Exception {
    peer = new TestPeer(true, UnaryOperator.identity());
    // The peer's address comes from its ports file, here a named pipe: reading it blocks until
    // someone writes, as a slow resolution or connection setup would. Before links opened in the
    // background, the Raft loop sat inside send() for that long (1-12 ms per election).
    Path ports = dir.resolve("ports.json");
    Process mkfifo = new ProcessBuilder("mkfifo", ports.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    link = new PeerLink("n2", "@" + ports, new LongAdder(), UnaryOperator.identity(), connector);
    String portsJson = "{\"peer\": \"" + peer.address() + "\"}";
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try {
      Future<?> sends = sender.submit(() -> {
        for (int i = 1; i <= 3; i++) {
          link.send(heartbeat(i));
        }
      });
      try {
        sends.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        Files.writeString(ports, portsJson); // lets the stuck sender go, so the test ends
        fail("send() waited for the peer's address to be read");
      }
    } finally {
      sender.shutdownNow();
    }
    assertThat(peer.received.get()).isZero();
    // The link reads the address now, opens in the background, and carries what is sent next.
    Files.writeString(ports, portsJson);
    Files.delete(ports); // later tries read a plain file
    Files.writeString(ports, portsJson);
    awaitOpen(link);
    link.send(heartbeat(4));
    assertThat(peer.awaitReceived(1)).isTrue();
  }

  @Test
  void aLinkToAPeerThatRestartsOnANewPortReopensWithoutAnyoneSending() throws Exception {
    peer = new TestPeer(true, UnaryOperator.identity());
    Path ports = dir.resolve("ports.json");
    Files.writeString(ports, "{\"peer\": \"" + peer.address() + "\"}");
    LongAdder dropped = new LongAdder();
    link = new PeerLink("n2", "@" + ports, dropped, UnaryOperator.identity(), connector);
    link.connect();
    awaitOpen(link);
    peer.close(); // the peer dies; it comes back on another port and says so in its ports file
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (link.isOpen()) { // the link hears of the old stream's end
      assertThat(System.nanoTime()).as("the dead peer's stream ends").isLessThan(deadline);
      Thread.sleep(5);
    }
    peer = new TestPeer(true, UnaryOperator.identity());
    Files.writeString(ports, "{\"peer\": \"" + peer.address() + "\"}");
    // Nothing is sent (a follower talks only to its leader), yet the link is open when the next
    // election needs it, instead of connecting then.
    awaitOpen(link);
    link.send(heartbeat(1));
    assertThat(peer.awaitReceived(1)).isTrue();
    assertThat(dropped.sum()).isZero();
  }

  private static void awaitOpen(PeerLink link) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!link.isOpen()) {
      assertThat(System.nanoTime()).as("the link opens by itself").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aPeerThatDoesNotReadCostsAtMostTheAllowanceThenMessagesAreDropped() throws Exception {
    peer = new TestPeer(false, UnaryOperator.identity());
    LongAdder dropped = new LongAdder();
    link = new PeerLink("n2", peer.address(), dropped, UnaryOperator.identity(), connector);
    link.connect();
    RaftMessage big = append(16);
    int sent = 0;
    for (int i = 0; i < 1000; i++) { // 16 MiB offered to a peer that reads nothing
      link.send(big);
      sent++;
    }
    long accepted = sent - dropped.sum();
    assertThat(dropped.sum()).as("a stuck peer's messages are dropped once the allowance is used").isPositive();
    // The allowance (1 MiB) plus what the transport takes before it says "not ready" (flow-control
    // window and buffer, well under 1 MiB): far below the 16 MiB offered.
    assertThat(accepted * big.getSerializedSize()).isLessThan(2L * PeerLink.UNREADY_BYTES + (1 << 20));
    assertThat(peer.received.get()).isZero();
  }

  @Test
  void aDeliveredMessageIsNotKeptByTheLink() throws Exception {
    peer = new TestPeer(true, UnaryOperator.identity());
    link = new PeerLink("n2", peer.address(), new LongAdder(), UnaryOperator.identity(), connector);
    // Open first: in a cold JVM the first connection can outlast a try, and what waited for it is dropped.
    link.connect();
    awaitOpen(link);
    link.send(heartbeat(1));
    assertThat(peer.awaitReceived(1)).isTrue();
    // The peer answers a stream only when it ends, so gRPC's retry layer, were it on, would hold every
    // message sent (up to 1 MiB a stream) in case it had to replay them: 35,000 messages on a leader
    // after 30 s of 4 ms heartbeats. Raft retries by itself; a delivered message must be garbage.
    RaftMessage m = heartbeat(2);
    WeakReference<RaftMessage> sent = new WeakReference<>(m);
    link.send(m);
    m = null;
    assertThat(peer.awaitReceived(2)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(sent.get()).as("the message after delivery and a collection").isNull();
  }

  @Test
  void onTheNodesOwnThreadsMessagesTravelAtTheHighestPriority() throws Exception {
    threads = new TransportThreads("n2", 2);
    peer = new TestPeer(true, threads::serve);
    link = new PeerLink("n2", peer.address(), new LongAdder(), threads::connect, connector);
    link.send(heartbeat(1));
    assertThat(peer.awaitReceived(1)).isTrue();
    assertThat(peer.threadNames).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("net-n2-"));
    assertThat(peer.threadPriorities).containsExactly(Thread.MAX_PRIORITY);
  }

  @Test
  void aNetworkThreadCountBelowOneIsRefusedByName() {
    assertThatThrownBy(() -> new TransportThreads("n1", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
  }
}
