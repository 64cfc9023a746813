package io.raftlab.storage.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
  @TempDir
  Path dir;

  private static Process child(String mode, Path dir) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName(), mode,
        dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String firstLine(Process process) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    return line == null ? "" : line;
  }

  private static String tryInChild(Path dir) throws Exception {
    Process process = child("try", dir);
    try {
      return firstLine(process);
    } finally {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void secondOpenInTheSameProcessIsRefusedNamingTheDirectory() throws Exception {
    try (DataDirectoryLock first = DataDirectoryLock.acquire(dir)) {
      assertThat(first.directory()).isEqualTo(dir.toRealPath());
      assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
          .isInstanceOf(DataDirectoryLockedException.class)
          .hasMessageContaining(dir.toRealPath().toString())
          .hasMessageContaining("already open in this process");
    }
  }

  @Test
  void directoryCanBeLockedAgainAfterClose() throws Exception {
    DataDirectoryLock first = DataDirectoryLock.acquire(dir);
    first.close();
    try (DataDirectoryLock second = DataDirectoryLock.acquire(dir)) {
      assertThat(second.directory()).isEqualTo(dir.toRealPath());
    }
  }

  @Test
  void lockFileRecordsTheOwnersPid() throws Exception {
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir)) {
      assertThat(Files.readString(lock.directory().resolve("LOCK")).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void anotherProcessIsRefusedWhileLockedEvenAfterARefusedSecondOpenHereAndAllowedAfterClose() throws Exception {
    DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
    // A refused attempt in this process must not release the OS lock held by the first.
    assertThatThrownBy(() -> DataDirectoryLock.acquire(dir)).isInstanceOf(DataDirectoryLockedException.class);
    String refused = tryInChild(dir);
    assertThat(refused).startsWith("REFUSED").contains(dir.toRealPath().toString())
        .contains("pid " + ProcessHandle.current().pid());
    lock.close();
    assertThat(tryInChild(dir)).isEqualTo("LOCKED");
  }

  @Test
  void lockHeldByAnotherProcessIsRefusedNamingItsPid() throws Exception {
    Process holder = child("hold", dir);
    try {
      assertThat(firstLine(holder)).isEqualTo("LOCKED");
      assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
          .isInstanceOf(DataDirectoryLockedException.class)
          .hasMessageContaining(dir.toRealPath().toString())
          .hasMessageContaining("locked by another process")
          .hasMessageContaining("pid " + holder.pid());
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir)) {
      assertThat(lock.directory()).isEqualTo(dir.toRealPath());
    }
  }
}
