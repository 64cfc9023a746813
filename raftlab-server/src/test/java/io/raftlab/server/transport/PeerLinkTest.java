package io.raftlab.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.api.peer.RaftMessage;
import io.raftlab.core.Entry;
import io.raftlab.core.Message;
import io.raftlab.core.MessageType;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One link against a real gRPC server on loopback: what is delivered, what is dropped, and why, and on which threads. */
class PeerLinkTest {

  private TestPeer peer;
  private PeerLink link;
  private TransportThreads threads;

  @AfterEach
  void stop() throws InterruptedException {
    if (link != null) {
      link.close();
    }
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
    link = new PeerLink("n2", peer.address(), dropped, UnaryOperator.identity());
    // A candidate's vote requests go out on a stream opened that very moment.
    for (int i = 1; i <= 5; i++) {
      link.send(heartbeat(i));
    }
    assertThat(peer.awaitReceived(5)).isTrue();
    assertThat(peer.received.get()).isEqualTo(5);
    assertThat(dropped.sum()).isZero();
  }

  @Test
  void aPeerThatDoesNotReadCostsAtMostTheAllowanceThenMessagesAreDropped() throws Exception {
    peer = new TestPeer(false, UnaryOperator.identity());
    LongAdder dropped = new LongAdder();
    link = new PeerLink("n2", peer.address(), dropped, UnaryOperator.identity());
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
  void onTheNodesOwnThreadsMessagesTravelAtTheHighestPriority() throws Exception {
    threads = new TransportThreads("n2", 2);
    peer = new TestPeer(true, threads::serve);
    link = new PeerLink("n2", peer.address(), new LongAdder(), threads::connect);
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
