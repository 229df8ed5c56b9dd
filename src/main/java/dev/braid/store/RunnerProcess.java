package dev.braid.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether the process that recorded a run, or holds a lock, is still the one running. */
final class RunnerProcess {

  /**
   * How much later than the run it claims a process may seem to have started. The JDK dates a
   * process from the boot time, which Linux gives in whole seconds, so a runner can seem to start
   * up to a second after it recorded its run; a pid reused by another process comes far later, once
   * the pids have wrapped around.
   */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  private RunnerProcess() {}

  /**
   * Whether process {@code pid} exists, has not exited, and started no later than {@code notAfter}:
   * a pid reused by a later process is not the runner. A runner killed outright stays a zombie
   * until its parent reaps it, and {@link ProcessHandle#isAlive} counts zombies as alive.
   */
  static boolean alive(long pid, Instant notAfter) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    Optional<Instant> started = process.get().info().startInstant();
    if (started.isPresent() && started.get().isAfter(notAfter.plus(CLOCK_SLACK))) {
      return false;
    }
    return !exited(pid);
  }

  /** Whether process {@code pid} exists and has not exited (a zombie has), whenever it started. */
  static boolean alive(long pid) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && !exited(pid);
  }

  /** Linux: the process is a zombie (state Z) or dead (X). Elsewhere, never known: false. */
  private static boolean exited(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (NoSuchFileException e) {
      return Files.isDirectory(Path.of("/proc/self")); // on Linux, gone since isAlive looked
    } catch (IOException | RuntimeException e) {
      return false;
    }
    // "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last.
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      return false;
    }
    char state = stat.charAt(close + 2);
    return state == 'Z' || state == 'X';
  }
}
