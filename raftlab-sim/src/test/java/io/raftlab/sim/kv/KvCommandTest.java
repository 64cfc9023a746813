package io.raftlab.sim.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KvCommandTest {

  @Test
  void encodeDecodeRoundTrips() {
    KvCommand c = new KvCommand(KvCommand.Op.CAS, 2, 17, 99, -5, 1L << 40);
    assertThat(KvCommand.decode(c.encode())).isEqualTo(c);
    assertThat(c.encode()).hasSize(KvCommand.SIZE);
  }

  @Test
  void decodeNamesWhatIsWrong() {
    assertThatThrownBy(() -> KvCommand.decode(new byte[3])).hasMessageContaining("must be 26 bytes, got 3");
    byte[] bad = new KvCommand(KvCommand.Op.WRITE, 0, 0, 0, 0, 0).encode();
    bad[0] = 9;
    assertThatThrownBy(() -> KvCommand.decode(bad)).hasMessageContaining("byte 0 (op)").hasMessageContaining("got 9");
  }

  @Test
  void casAppliesOnlyWhenTheExpectedValueIsPresent() {
    KvStore kv = new KvStore(2);
    assertThat(kv.apply(new KvCommand(KvCommand.Op.CAS, 0, 0, 1, 5, 0))).isFalse(); // absent key
    assertThat(kv.get(0)).isNull();
    assertThat(kv.apply(new KvCommand(KvCommand.Op.WRITE, 0, 0, 2, 3, 0))).isTrue();
    assertThat(kv.apply(new KvCommand(KvCommand.Op.CAS, 0, 0, 3, 4, 2))).isFalse();
    assertThat(kv.apply(new KvCommand(KvCommand.Op.CAS, 0, 0, 4, 4, 3))).isTrue();
    assertThat(kv.get(0)).isEqualTo(4L);
  }

  @Test
  void digestTellsStatesApart() {
    KvStore a = new KvStore(2);
    KvStore b = new KvStore(2);
    assertThat(a.digest()).isEqualTo(b.digest());
    a.apply(new KvCommand(KvCommand.Op.WRITE, 1, 0, 1, 0, 0));
    assertThat(a.digest()).isNotEqualTo(b.digest()); // written 0 differs from absent
  }
}
