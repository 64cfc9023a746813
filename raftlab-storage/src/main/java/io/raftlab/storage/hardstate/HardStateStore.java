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

/**
 * Keeps a node's {@link HardState} in one small file, replaced atomically: the new state is written
 * to a temporary file, forced, renamed over the old one, and the directory is forced. After a crash
 * the file holds either the old or the new state, never a mix, so a corrupt file always means
 * damage and is refused.
 *
 * <pre>
 *   int  magic "RLHS"   byte version (1)
 *   long term   long commit   int vote length (-1 = no vote)   vote bytes (UTF-8)
 *   int  CRC32C of everything before it
 * </pre>
 */
public final class HardStateStore {
  public static final String FILE_NAME = "hardstate";
  private static final String TEMP_NAME = "hardstate.tmp";
  private static final int MAGIC = 0x524C4853; // "RLHS"
  private static final byte VERSION = 1;
  private static final int FIXED_BYTES = 4 + 1 + 8 + 8 + 4 + 4;
  private static final int MAX_VOTE_BYTES = 4096;

  private final Path dir;
  private final Path file;
  private final Path temp;
  private final Fsync fsync;

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
   * before the rename) is ignored: its save never completed.
   */
  public Optional<HardState> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    long size = Files.size(file);
    if (size > FIXED_BYTES + MAX_VOTE_BYTES) {
      throw new CorruptHardStateException(file, "file is " + size + " bytes, a hard state is at most "
          + (FIXED_BYTES + MAX_VOTE_BYTES));
    }
    return Optional.of(decode(file, Files.readAllBytes(file)));
  }

  /** Replaces the stored hard state; durable on return when the fsync policy is ALWAYS. */
  public void save(HardState state) throws IOException {
    byte[] bytes = encode(state);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      fsync.force(channel, temp, false);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsync.directory(dir);
  }

  static byte[] encode(HardState state) {
    byte[] vote = state.vote() == null ? null : state.vote().getBytes(StandardCharsets.UTF_8);
    if (vote != null && vote.length > MAX_VOTE_BYTES) {
      throw new IllegalArgumentException("vote '" + state.vote() + "' is " + vote.length + " bytes in UTF-8, at most "
          + MAX_VOTE_BYTES + " allowed");
    }
    ByteBuffer buf = ByteBuffer.allocate(FIXED_BYTES + (vote == null ? 0 : vote.length));
    buf.putInt(MAGIC).put(VERSION).putLong(state.term()).putLong(state.commit());
    buf.putInt(vote == null ? -1 : vote.length);
    if (vote != null) {
      buf.put(vote);
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    return buf.array();
  }

  static HardState decode(Path file, byte[] bytes) throws CorruptHardStateException {
    if (bytes.length < FIXED_BYTES) {
      throw new CorruptHardStateException(file, "file is " + bytes.length + " bytes, a hard state is at least "
          + FIXED_BYTES);
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
    if (version != VERSION) {
      throw new CorruptHardStateException(file, "unknown format version " + version + " at offset 4, expected "
          + VERSION);
    }
    long term = buf.getLong();
    long commit = buf.getLong();
    int voteLength = buf.getInt();
    int expectedLength = FIXED_BYTES + Math.max(voteLength, 0);
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
