package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class StoreLockTest {

  @TempDir Path tmp;

  Path dir() {
    return tmp.resolve(".braid");
  }

  static final long ME = ProcessHandle.current().pid();

  @Test
  void theLockIsExclusiveWithinTheJvmAndNamesTheHolder() {
    try (RunLock lock = Store.lock(dir())) {
      assertThat(lock.isHeld()).isTrue();
      assertThat(lock.pid()).isEqualTo(ME);
      assertThat(dir().resolve("run.lock")).content().contains("pid=" + ME);
      assertThatThrownBy(() -> Store.lock(dir()))
          .isInstanceOf(LockedException.class)
          .hasMessageStartingWith("another braid run (pid " + ME + ", started ")
          .hasMessageEndingWith(") is using " + dir() + "/");
    }
    try (RunLock again = Store.lock(dir())) {
      assertThat(again.isHeld()).isTrue();
    }
  }

  @Test
  void anotherProcessCannotTakeTheLockUntilItIsReleased() {
    RunLock lock = Store.lock(dir());
    // A refused attempt in this JVM must not drop the OS lock (POSIX drops a process's locks when
    // any descriptor of the file closes).
    assertThatThrownBy(() -> Store.lock(dir())).isInstanceOf(LockedException.class);
    try (ChildProcess child = ChildProcess.start("try", dir().toString())) {
      assertThat(child.readLine())
          .startsWith("busy another braid run (pid " + ME + ", started ")
          .endsWith(") is using " + dir() + "/");
      assertThat(child.await()).isZero();
    }
    lock.close();
    assertThat(lock.isHeld()).isFalse();
    try (ChildProcess child = ChildProcess.start("try", dir().toString())) {
      assertThat(child.readLine()).isEqualTo("locked " + child.pid());
      assertThat(child.await()).isZero();
    }
  }

  @Test
  void aKilledHoldersLockIsReleasedByTheOs() {
    try (ChildProcess child = ChildProcess.start("hold", dir().toString())) {
      assertThat(child.readLine()).isEqualTo("locked " + child.pid());
      assertThatThrownBy(() -> Store.lock(dir()))
          .isInstanceOf(LockedException.class)
          .hasMessageStartingWith("another braid run (pid " + child.pid() + ", started ")
          .satisfies(e -> assertThat(((LockedException) e).holderPid()).hasValue(child.pid()));
      child.kill();
    }
    try (RunLock lock = Store.lock(dir())) {
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @Test
  void aHolderThatExitsReleasesTheLock() {
    try (ChildProcess child = ChildProcess.start("hold", dir().toString())) {
      assertThat(child.readLine()).startsWith("locked ");
      child.closeInput();
      assertThat(child.await()).isZero();
    }
    try (RunLock lock = Store.lock(dir())) {
      assertThat(lock.isHeld()).isTrue();
    }
  }
}
