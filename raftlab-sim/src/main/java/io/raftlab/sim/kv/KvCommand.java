package io.raftlab.sim.kv;

import java.nio.ByteBuffer;

/**
 * A client command as it travels in a log entry: a fixed 26-byte record (op, key, process, op id,
 * value, expected). Process and op id make every proposal's bytes unique, so two proposals with the
 * same effect are still told apart by the log checks.
 */
public record KvCommand(Op op, int key, int process, int opId, long value, long expected) {

  public enum Op {
    WRITE,
    CAS
  }

  public static final int SIZE = 26;

  public KvCommand {
    if (key < 0 || key > 255) {
      throw new IllegalArgumentException("key index must be in 0..255, got " + key);
    }
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.put((byte) (op == Op.WRITE ? 1 : 2));
    b.put((byte) key);
    b.putInt(process);
    b.putInt(opId);
    b.putLong(value);
    b.putLong(expected);
    return b.array();
  }

  /** Decodes an entry payload; names the offset and the bad byte if it is not a command. */
  public static KvCommand decode(byte[] data) {
    if (data.length != SIZE) {
      throw new IllegalArgumentException("kv command must be " + SIZE + " bytes, got " + data.length);
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    byte op = b.get();
    if (op != 1 && op != 2) {
      throw new IllegalArgumentException("kv command byte 0 (op) must be 1 (write) or 2 (cas), got " + op);
    }
    int key = b.get() & 0xff;
    return new KvCommand(op == 1 ? Op.WRITE : Op.CAS, key, b.getInt(), b.getInt(), b.getLong(), b.getLong());
  }

  public static String keyName(int key) {
    return "k" + key;
  }
}
