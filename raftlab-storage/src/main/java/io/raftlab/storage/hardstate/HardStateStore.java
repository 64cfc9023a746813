package io.raftlab.storage.hardstate;

import io.raftlab.core.HardState;
import io.raftlab.storage.fsync.Fsync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link HardState} in one file of two fixed slots, written in place in turn. A save
 * writes the next sequence number into the slot the last save did not use and forces the file's
 * data (an fdatasync of an unchanged length: no directory or metadata write, so a term or vote
 * change costs one small write, not a create, a rename and two fsyncs). After a crash one slot may
 * be torn; the other still holds the last completed save.
 *
 * <pre>
 *   file: slot 0 at offset 0, slot 1 at offset 4096, 8192 bytes in all; a slot never written is zeros
 *   slot: int magic "RLHS"   byte version (2)   long sequence
 *         long term   long commit   int vote length (-1 = no vote)   vote bytes (UTF-8)
 *         int CRC32C of everything before it in the slot
 * </pre>
 *
 * Loading takes the valid slot with the higher sequence. One unreadable slot next to a valid one is
 * what a crash during a save leaves, and is taken for that, as the write-ahead log takes a torn last
 * record (logged, naming the file and slot); two unreadable slots, or slots with equal sequence
 * numbers, are refused. A file in the first format (version 1: one record, replaced by rename) is
 * read as is and rewritten in the slot format on the next save.
 */
public final class HardStateStore {
  public static final String FILE_NAME = "hardstate";
  private static final String TEMP_NAME = "hardstate.tmp";
  private static final Logger LOG = LoggerFactory.getLogger(HardStateStore.class);
  private static final int MAGIC = 0x524C4853; // "RLHS"
  private static final byte VERSION_RENAMED = 1;
  private static final byte VERSION_SLOTS = 2;
  static final int SLOT_BYTES = 4096;
  static final int FILE_BYTES = 2 * SLOT_BYTES;
  private static final int V1_FIXED_BYTES = 4 + 1 + 8 + 8 + 4 + 4;
  private static final int V2_FIXED_BYTES = 4 + 1 + 8 + 8 + 8 + 4 + 4;
  private static final int MAX_VOTE_BYTES = SLOT_BYTES - V2_FIXED_BYTES;

  private final Path dir;
  private final Path file;
  private final Path temp;
  private final Fsync fsync;
  /** Sequence of the last completed save: -1 before the file was read, 0 when there is no slot file yet. */
  private long lastSequence = -1;

  public HardStateStore(Path dir, Fsync fsync) {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    this.temp = dir.resolve(TEMP_NAME);
    this.fsync = fsync;
  }

  public Path file() {
    return file;
  }

  /**
   * The stored hard state, or empty if none was ever saved. A leftover temporary file (a crash
   * while the file was first created or converted) is ignored: that save never completed.
   */
  public Optional<HardState> load() throws IOException {
    if (!Files.exists(file)) {
      lastSequence = 0;
      return Optional.empty();
    }
    long size = Files.size(file);
    if (size == FILE_BYTES) {
      Slot slot = newestSlot(Files.readAllBytes(file));
      lastSequence = slot.sequence();
      return Optional.of(slot.state());
    }
    if (size > V1_FIXED_BYTES + MAX_VOTE_BYTES) {
      throw new CorruptHardStateException(file, "file is " + size + " bytes: neither " + FILE_BYTES
          + " (two slots) nor at most " + (V1_FIXED_BYTES + MAX_VOTE_BYTES) + " (one record of the first format)");
    }
    HardState state = decodeRenamed(file, Files.readAllBytes(file));
    lastSequence = 0;
    return Optional.of(state);
  }

  /** Stores {@code state}; durable on return when the fsync policy is ALWAYS. */
  public void save(HardState state) throws IOException {
    if (lastSequence < 0) {
      load(); // learn which slot the last save used
    }
    long sequence = lastSequence + 1;
    byte[] slot = encodeSlot(state, sequence);
    long offset = (sequence % 2) * SLOT_BYTES;
    if (lastSequence == 0) {
      // No slot file yet (first save, or a file of the first format): build it whole, then rename.
      byte[] whole = new byte[FILE_BYTES];
      System.arraycopy(slot, 0, whole, (int) offset, slot.length);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(channel, ByteBuffer.wrap(whole), 0);
        fsync.force(channel, temp, false);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsync.directory(dir);
    } else {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        writeFully(channel, ByteBuffer.wrap(slot), offset);
        fsync.force(channel, file, false);
      }
    }
    lastSequence = sequence;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += channel.write(buf, at);
    }
  }

  record Slot(long sequence, HardState state) {}

  static byte[] encodeSlot(HardState state, long sequence) {
    return encode(state, VERSION_SLOTS, sequence);
  }

  /** The first format's encoding, kept so tests can write a file as earlier versions did. */
  static byte[] encodeRenamed(HardState state) {
    return encode(state, VERSION_RENAMED, -1);
  }

  /** magic, version, the sequence (slots only: {@code sequence >= 0}), term, commit, vote, CRC32C. */
  private static byte[] encode(HardState state, byte version, long sequence) {
    byte[] vote = state.vote() == null ? null : state.vote().getBytes(StandardCharsets.UTF_8);
    if (vote != null && vote.length > MAX_VOTE_BYTES) {
      throw new IllegalArgumentException("vote '" + state.vote() + "' is " + vote.length + " bytes in UTF-8, at most "
          + MAX_VOTE_BYTES + " allowed");
    }
    int fixed = sequence >= 0 ? V2_FIXED_BYTES : V1_FIXED_BYTES;
    ByteBuffer buf = ByteBuffer.allocate(fixed + (vote == null ? 0 : vote.length));
    buf.putInt(MAGIC).put(version);
    if (sequence >= 0) {
      buf.putLong(sequence);
    }
    buf.putLong(state.term()).putLong(state.commit());
    buf.putInt(vote == null ? -1 : vote.length);
    if (vote != null) {
      buf.put(vote);
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    return buf.array();
  }

  /** The valid slot with the higher sequence; see the class comment for what is refused. */
  private Slot newestSlot(byte[] bytes) throws CorruptHardStateException {
    Slot[] slots = new Slot[2];
    String[] problems = new String[2];
    for (int i = 0; i < 2; i++) {
      try {
        slots[i] = decodeSlot(bytes, i * SLOT_BYTES);
      } catch (IllegalStateException e) {
        problems[i] = e.getMessage();
      }
    }
    if (slots[0] == null && slots[1] == null) {
      throw new CorruptHardStateException(file, "no readable slot: slot 0 (offset 0): " + problems[0]
          + "; slot 1 (offset " + SLOT_BYTES + "): " + problems[1]);
    }
    if (slots[0] != null && slots[1] != null) {
      if (slots[0].sequence() == slots[1].sequence()) {
        throw new CorruptHardStateException(file, "both slots hold sequence " + slots[0].sequence());
      }
      return slots[0].sequence() > slots[1].sequence() ? slots[0] : slots[1];
    }
    int good = slots[0] != null ? 0 : 1;
    int bad = 1 - good;
    if (!allZero(bytes, bad * SLOT_BYTES)) {
      LOG.warn("hard state file {}: slot {} (offset {}) is unreadable ({}); taking it for a save cut short by a crash"
          + " and using slot {} (sequence {}, term {})", file, bad, bad * SLOT_BYTES, problems[bad], good,
          slots[good].sequence(), slots[good].state().term());
    }
    return slots[good];
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < from + SLOT_BYTES; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** One slot, or IllegalStateException saying what is wrong with it. */
  static Slot decodeSlot(byte[] bytes, int at) {
    ByteBuffer buf = ByteBuffer.wrap(bytes, at, SLOT_BYTES);
    int magic = buf.getInt();
    if (magic == 0 && allZero(bytes, at)) {
      throw new IllegalStateException("never written");
    }
    if (magic != MAGIC) {
      throw new IllegalStateException(String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
    }
    byte version = buf.get();
    long sequence = buf.getLong();
    long term = buf.getLong();
    long commit = buf.getLong();
    int voteLength = buf.getInt();
    if (voteLength < -1 || voteLength > MAX_VOTE_BYTES) {
      throw new IllegalStateException("vote length " + voteLength + " out of range");
    }
    int crcAt = at + V2_FIXED_BYTES - 4 + Math.max(voteLength, 0);
    CRC32C crc = new CRC32C();
    crc.update(bytes, at, crcAt - at);
    int stored = ByteBuffer.wrap(bytes, crcAt, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new IllegalStateException("CRC mismatch (stored " + Integer.toHexString(stored) + ", computed "
          + Long.toHexString(crc.getValue()) + ")");
    }
    if (version != VERSION_SLOTS) {
      throw new IllegalStateException("unknown format version " + version + ", expected " + VERSION_SLOTS);
    }
    if (sequence < 1 || term < 0 || commit < 0) {
      throw new IllegalStateException("bad sequence " + sequence + ", term " + term + " or commit " + commit);
    }
    String vote = voteLength < 0 ? null : new String(bytes, buf.position(), voteLength, StandardCharsets.UTF_8);
    return new Slot(sequence, new HardState(term, vote, commit));
  }

  /** A file of the first format: one record, replaced by rename. */
  static HardState decodeRenamed(Path file, byte[] bytes) throws CorruptHardStateException {
    if (bytes.length < V1_FIXED_BYTES) {
      throw new CorruptHardStateException(file, "file is " + bytes.length + " bytes, a hard state is at least "
          + V1_FIXED_BYTES);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int magic = buf.getInt();
    if (magic != MAGIC) {
      throw new CorruptHardStateException(file, String.format("bad magic 0x%08x at offset 0, expected 0x%08x", magic,
          MAGIC));
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new CorruptHardStateException(file, "CRC mismatch (stored " + Integer.toHexString(stored) + ", computed "
          + Long.toHexString(crc.getValue()) + ")");
    }
    byte version = buf.get();
    if (version != VERSION_RENAMED) {
      throw new CorruptHardStateException(file, "unknown format version " + version + " at offset 4, expected "
          + VERSION_RENAMED + " in a file of " + bytes.length + " bytes");
    }
    long term = buf.getLong();
    long commit = buf.getLong();
    int voteLength = buf.getInt();
    int expectedLength = V1_FIXED_BYTES + Math.max(voteLength, 0);
    if (voteLength < -1 || voteLength > MAX_VOTE_BYTES || bytes.length != expectedLength) {
      throw new CorruptHardStateException(file, "vote length " + voteLength + " does not match the file size "
          + bytes.length);
    }
    String vote = voteLength < 0 ? null : new String(bytes, buf.position(), voteLength, StandardCharsets.UTF_8);
    if (term < 0 || commit < 0) {
      throw new CorruptHardStateException(file, "negative term " + term + " or commit " + commit);
    }
    return new HardState(term, vote, commit);
  }
}
