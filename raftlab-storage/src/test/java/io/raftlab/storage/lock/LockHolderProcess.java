package io.raftlab.storage.lock;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DataDirectoryLockTest}: {@code hold DIR} locks and keeps the lock
 * until its standard input closes; {@code try DIR} reports whether it could lock.
 */
public final class LockHolderProcess {
  private LockHolderProcess() {
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[1]);
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir)) {
      System.out.println("LOCKED");
      System.err.println("child holds " + lock.directory());
      System.out.flush();
      if (args[0].equals("hold")) {
        while (System.in.read() >= 0) {
          // wait for the parent to close our input
        }
      }
    } catch (DataDirectoryLockedException e) {
      System.out.println("REFUSED " + e.getMessage());
    }
  }
}
