package dev.braid.run;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The platform's ways to stop a process tree, found once. The JDK signals single pids only, so a
 * process group is signalled through the {@code kill} program (a fork and exec: fine for timeouts
 * and Ctrl-C, never on the launch path). On Linux every process a task starts carries a tag in its
 * environment, so a sweep of {@code /proc/PID/environ} also finds those that left the group.
 */
final class Signals {

  private final Optional<Path> setsid;
  private final Optional<Path> kill;
  private final boolean procEnviron;

  private Signals(Optional<Path> setsid, Optional<Path> kill, boolean procEnviron) {
    this.setsid = setsid;
    this.kill = kill;
    this.procEnviron = procEnviron;
  }

  static Signals detect() {
    Optional<Path> kill = firstExecutable("/bin/kill", "/usr/bin/kill");
    // Without kill we could start groups but not signal them; then do not start them.
    Optional<Path> setsid =
        kill.isPresent() ? firstExecutable("/usr/bin/setsid", "/bin/setsid") : Optional.empty();
    return new Signals(setsid, kill, Files.isReadable(Path.of("/proc/self/environ")));
  }

  /**
   * {@code setsid -w}: a new session and group whose id is the launched pid; -w keeps its status.
   */
  Optional<List<String>> groupPrefix() {
    return setsid.map(p -> List.of(p.toString(), "-w"));
  }

  boolean canSweep() {
    return procEnviron;
  }

  /** Sends TERM or KILL to every process in group {@code pgid}; returns the kill process. */
  Optional<Process> signalGroup(long pgid, boolean force) {
    if (kill.isEmpty() || pgid <= 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ProcessBuilder(kill.get().toString(), force ? "-KILL" : "-TERM", "--", "-" + pgid)
              .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(Redirect.DISCARD)
              .redirectError(Redirect.DISCARD)
              .start());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether any process is still in group {@code pgid}, asked of {@code kill -0} (a fork and exec:
   * the JDK launch path only; the spawn helper knows this itself). False without a kill program.
   */
  java.util.concurrent.CompletableFuture<Boolean> groupExists(long pgid) {
    if (kill.isEmpty() || pgid <= 1) {
      return java.util.concurrent.CompletableFuture.completedFuture(false);
    }
    try {
      return new ProcessBuilder(kill.get().toString(), "-0", "--", "-" + pgid)
          .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(Redirect.DISCARD)
          .redirectError(Redirect.DISCARD)
          .start()
          .onExit()
          .thenApply(p -> p.exitValue() == 0);
    } catch (IOException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(false);
    }
  }

  static void signal(ProcessHandle h, boolean force) {
    if (force) {
      h.destroyForcibly();
    } else {
      h.destroy();
    }
  }

  /**
   * Signals every live process whose environment holds {@code var=value...} (exactly {@code value}
   * unless {@code prefix}); returns how many. Reads /proc, so only on Linux and only when stopping.
   */
  int sweep(String var, String value, boolean prefix, boolean force) {
    if (!procEnviron) {
      return 0;
    }
    byte[] needle =
        ("\0" + var + "=" + value + (prefix ? "" : "\0")).getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    int hits = 0;
    for (ProcessHandle h : (Iterable<ProcessHandle>) ProcessHandle.allProcesses()::iterator) {
      if (h.pid() != self && environContains(h.pid(), needle)) {
        signal(h, force);
        hits++;
      }
    }
    return hits;
  }

  private static boolean environContains(long pid, byte[] needle) {
    byte[] env;
    try (InputStream in = Files.newInputStream(Path.of("/proc", Long.toString(pid), "environ"))) {
      // A leading NUL lets the needle match the first variable too.
      byte[] raw = in.readAllBytes();
      env = new byte[raw.length + 2];
      System.arraycopy(raw, 0, env, 1, raw.length);
    } catch (IOException | SecurityException e) {
      return false; // gone, or not ours
    }
    return indexOf(env, needle) >= 0;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Optional<Path> firstExecutable(String... candidates) {
    return Arrays.stream(candidates).map(Path::of).filter(Files::isExecutable).findFirst();
  }
}
