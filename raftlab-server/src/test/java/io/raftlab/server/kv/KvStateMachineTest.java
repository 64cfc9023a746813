package io.raftlab.server.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftlab.api.command.Command;
import io.raftlab.api.command.Put;
import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import org.junit.jupiter.api.Test;

/** At-most-once writes (Raft paper §8, dissertation §6.3) as the state machine applies them. */
class KvStateMachineTest {

  private long index;

  private Entry put(String client, long seq, long atMillis, String key, String value) {
    Command c = Command.newBuilder().setClientId(client).setSequence(seq).setProposedAtMillis(atMillis)
        .setPut(Put.newBuilder().setKey(key).setValue(value)).build();
    return new Entry(1, ++index, EntryType.NORMAL, c.toByteArray());
  }

  @Test
  void aRetriedWriteReturnsTheOriginalAnswerAndIsAppliedOnce() {
    KvStateMachine sm = new KvStateMachine(60_000);
    WriteResult first = sm.apply(put("c", 1, 0, "k", "a"));
    sm.apply(put("other", 1, 0, "k", "b"));
    WriteResult retry = sm.apply(put("c", 1, 0, "k", "a"));
    assertThat(retry).isEqualTo(first);
    assertThat(sm.get("k")).isEqualTo("b"); // the retry did not write "a" again
  }

  @Test
  void anOldDuplicateAfterANewerWriteIsRefused() {
    KvStateMachine sm = new KvStateMachine(60_000);
    sm.apply(put("c", 1, 0, "k", "a"));
    sm.apply(put("c", 2, 0, "k", "b"));
    WriteResult stale = sm.apply(put("c", 1, 0, "k", "a"));
    assertThat(stale.error()).isEqualTo(WriteResult.WriteError.STALE_SEQUENCE);
    assertThat(sm.get("k")).isEqualTo("b");
  }

  @Test
  void aClientWhoseFirstWriteWasLostStartsItsSessionAtItsNextSequence() {
    KvStateMachine sm = new KvStateMachine(60_000);
    WriteResult r = sm.apply(put("c", 2, 0, "k", "x"));
    assertThat(r.error()).isNull();
    assertThat(sm.get("k")).isEqualTo("x");
  }

  @Test
  void sessionsExpireByTheReplicatedProposalTimeSoEveryReplicaAgrees() {
    KvStateMachine a = new KvStateMachine(1_000);
    KvStateMachine b = new KvStateMachine(1_000);
    index = 0;
    Entry e1 = put("c", 1, 0, "k", "a");
    Entry e2 = put("other", 1, 5_000, "z", "z");
    Entry e3 = put("c", 1, 5_000, "k", "a"); // a retry long after the TTL: the session is gone
    for (KvStateMachine sm : new KvStateMachine[] {a, b}) {
      sm.apply(e1);
      sm.apply(e2);
      assertThat(sm.sessionCount()).isEqualTo(1);
      sm.apply(e3);
    }
    assertThat(a.sessionCount()).isEqualTo(b.sessionCount()).isEqualTo(2);
  }

  @Test
  void entriesMustBeAppliedInOrderAndAnUnreadableCommandStopsTheNode() {
    KvStateMachine sm = new KvStateMachine(60_000);
    assertThatThrownBy(() -> sm.apply(new Entry(1, 2, EntryType.NORMAL, new byte[0]))).hasMessageContaining("in order");
    assertThatThrownBy(() -> sm.apply(new Entry(1, 1, EntryType.NORMAL, new byte[] {(byte) 0xff, 1, 2})))
        .hasMessageContaining("committed entry 1@1 is not a valid command");
  }
}
