package io.raftlab.storage.wal;

import io.raftlab.core.Entry;
import io.raftlab.core.EntryType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * On-disk framing of one record:
 *
 * <pre>
 *   int    payload length (big-endian)
 *   int    CRC32C over the 4 length bytes and the payload
 *   byte[] payload: byte kind, then for kind ENTRY: long term, long index,
 *          byte n + n ASCII bytes of the entry type's name, data (the rest)
 * </pre>
 *
 * The CRC covers the length too, so a damaged length cannot pass as a shorter valid record. The
 * entry type is stored by name, so adding a type to the core needs no change here and reordering
 * the enum cannot silently change what old records mean.
 */
final class RecordFrame {
  static final int HEADER_BYTES = 8;
  static final byte KIND_ENTRY = 1;
  /** kind + term + index + type-name length + a type name of at least one character. */
  static final int MIN_PAYLOAD_BYTES = 1 + 8 + 8 + 1 + 1;
  /** Large enough for any sensible entry, small enough that a damaged length is caught early. */
  static final int MAX_PAYLOAD_BYTES = 256 << 20;

  private RecordFrame() {
  }

  static int frameBytes(Entry entry) {
    return HEADER_BYTES + payloadBytes(entry);
  }

  private static int payloadBytes(Entry entry) {
    return 1 + 8 + 8 + 1 + entry.type().name().length() + entry.data().length;
  }

  /** Throws if the entry cannot be framed; checked before anything of a batch is written. */
  static void checkEncodable(Entry entry) {
    long payload = 1L + 8 + 8 + 1 + entry.type().name().length() + entry.data().length;
    if (payload > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("entry " + entry.index() + " is too large for the write-ahead log: payload "
          + payload + " bytes, at most " + MAX_PAYLOAD_BYTES + " allowed");
    }
    if (entry.type().name().length() > 127) {
      throw new IllegalArgumentException("entry type name too long: " + entry.type().name());
    }
  }

  /** Appends the framed entry at {@code out}'s position; {@code out} must be a heap buffer with room. */
  static void encode(Entry entry, ByteBuffer out) {
    int start = out.position();
    int payload = payloadBytes(entry);
    out.putInt(payload);
    out.putInt(0); // CRC, filled in below
    out.put(KIND_ENTRY);
    out.putLong(entry.term());
    out.putLong(entry.index());
    byte[] typeName = entry.type().name().getBytes(StandardCharsets.US_ASCII);
    out.put((byte) typeName.length);
    out.put(typeName);
    out.put(entry.data());
    CRC32C crc = new CRC32C();
    byte[] array = out.array();
    int base = out.arrayOffset() + start;
    crc.update(array, base, 4);
    crc.update(array, base + HEADER_BYTES, payload);
    out.putInt(start + 4, (int) crc.getValue());
  }

  /**
   * Checks the frame at {@code pos} of {@code buf} (absolute positions, limit = end of file).
   * Returns null if a whole frame with a matching CRC is there, else why not.
   */
  static String frameProblem(ByteBuffer buf, int pos) {
    int available = buf.limit() - pos;
    if (available < HEADER_BYTES) {
      return "incomplete record header (" + available + " of " + HEADER_BYTES + " bytes)";
    }
    int length = buf.getInt(pos);
    if (length < MIN_PAYLOAD_BYTES || length > MAX_PAYLOAD_BYTES) {
      return "impossible record length " + length + " (allowed " + MIN_PAYLOAD_BYTES + ".." + MAX_PAYLOAD_BYTES + ")";
    }
    if (length > available - HEADER_BYTES) {
      return "incomplete record payload (" + (available - HEADER_BYTES) + " of " + length + " bytes)";
    }
    if (crcOf(buf, pos, length) != buf.getInt(pos + 4)) {
      return "CRC mismatch in record of " + length + " payload bytes";
    }
    return null;
  }

  static int frameBytesAt(ByteBuffer buf, int pos) {
    return HEADER_BYTES + buf.getInt(pos);
  }

  private static int crcOf(ByteBuffer buf, int pos, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(pos, 4));
    crc.update(buf.slice(pos + HEADER_BYTES, length));
    return (int) crc.getValue();
  }

  /**
   * Offset of the first position after {@code from} where a whole frame with a matching CRC starts,
   * or -1. Used to tell a torn tail (nothing valid after the damage) from damage in the middle.
   */
  static int findValidFrame(ByteBuffer buf, int from) {
    for (int pos = from; pos + HEADER_BYTES <= buf.limit(); pos++) {
      if (frameProblem(buf, pos) == null) {
        return pos;
      }
    }
    return -1;
  }

  /** Decodes a frame already checked by {@link #frameProblem}; a CRC-valid frame it cannot read is corruption. */
  static Entry decode(ByteBuffer buf, int pos, Path file) throws CorruptLogException {
    int length = buf.getInt(pos);
    int p = pos + HEADER_BYTES;
    int end = p + length;
    byte kind = buf.get(p);
    if (kind != KIND_ENTRY) {
      throw new CorruptLogException(file, pos, "unknown record kind " + kind + " (this version knows only "
          + KIND_ENTRY + " = entry)");
    }
    long term = buf.getLong(p + 1);
    long index = buf.getLong(p + 9);
    int nameLength = buf.get(p + 17);
    int dataStart = p + 18 + nameLength;
    if (nameLength < 1 || dataStart > end) {
      throw new CorruptLogException(file, pos, "entry type name length " + nameLength + " does not fit the record");
    }
    byte[] name = new byte[nameLength];
    buf.get(p + 18, name);
    String typeName = new String(name, StandardCharsets.US_ASCII);
    EntryType type;
    try {
      type = EntryType.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      throw new CorruptLogException(file, pos, "unknown entry type '" + typeName + "'");
    }
    if (term < 0 || index < 1) {
      throw new CorruptLogException(file, pos, "impossible entry term " + term + " or index " + index);
    }
    byte[] data = new byte[end - dataStart];
    buf.get(dataStart, data);
    return new Entry(term, index, type, data);
  }
}
