package io.raftlab.storage.lock;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a data directory by one node: an OS lock on the file {@code LOCK} in it,
 * which also records the owner's pid for the error message. Two nodes writing one log would
 * corrupt it silently, so a second owner is refused, whether another process or this JVM.
 *
 * <p>Directories locked by this JVM are also tracked in memory and checked before the file is
 * touched: POSIX releases all of a process's locks on a file when any descriptor of it is closed,
 * so a refused second attempt must never open and close the lock file.
 */
public final class DataDirectoryLock implements Closeable {
  public static final String FILE_NAME = "LOCK";
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir} (created if missing) or throws {@link DataDirectoryLockedException}. */
  public static DataDirectoryLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path real = dir.toRealPath();
    if (!HELD_IN_THIS_JVM.add(real)) {
      throw new DataDirectoryLockedException(real, "data directory " + real + " is already open in this process (pid "
          + ProcessHandle.current().pid() + "): one node per data directory");
    }
    Path lockFile = real.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String owner = readOwner(channel);
        throw new DataDirectoryLockedException(real, "data directory " + real + " is locked by another process"
            + (owner.isEmpty() ? " (its pid is not recorded in " + lockFile + ")" : " (pid " + owner + " according to "
            + lockFile + ")") + ": one node per data directory; stop that node or use another directory");
      }
      // Record the owner for the message a second node would get; the lock itself is what counts.
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new DataDirectoryLock(real, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      HELD_IN_THIS_JVM.remove(real);
      throw e;
    }
  }

  private static String readOwner(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(64);
      channel.read(buf, 0);
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
      return text.chars().allMatch(Character::isDigit) ? text : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The locked directory (its real path). */
  public Path directory() {
    return directory;
  }

  @Override
  public synchronized void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_IN_THIS_JVM.remove(directory);
    }
  }
}
