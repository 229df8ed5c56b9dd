package dev.braid.run;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts task commands as processes and stops them, trees and all. One launcher per run; {@link
 * #close()} stops whatever still runs. Thread-safe.
 *
 * <p>Costs on the launch path: one {@code posix_spawn} of the command (plus {@code setsid}'s exec
 * when the command gets its own process group, and {@code bash}'s when it needs a shell), one
 * virtual thread to copy its output, no other threads. Timeouts share one timer thread.
 */
public final class Launcher implements AutoCloseable {

  /** Which commands run in a process group of their own, so their whole group can be signalled. */
  public enum Groups {
    /**
     * Every command: {@code setsid -w} before it. Costs one more exec per launch (see
     * docs/benchmarks.md, "Process launch cost").
     */
    ALL,
    /**
     * Only shell commands ({@code setsid -w bash -c ...}). Direct commands run like make runs them,
     * in Braid's own group; they are stopped by pid, their descendants and (on Linux) their tag.
     */
    SHELL_ONLY
  }

  /** Every process a task starts inherits this variable; on Linux it finds strays. */
  public static final String TAG_VAR = "BRAID_PROCESS_TAG";

  private static final File DEV_NULL = new File("/dev/null");
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(2);

  private final Groups groups;
  private final Signals signals = Signals.detect();
  private final String launcherTag;
  private final AtomicLong sequence = new AtomicLong();
  private final Set<RunningTask> live = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor timers;
  private volatile boolean closed;

  /** Process groups for shell commands only: the launch path of a plain command stays make's. */
  public Launcher() {
    this(Groups.SHELL_ONLY);
  }

  public Launcher(Groups groups) {
    this(groups, UUID.randomUUID().toString());
  }

  /**
   * A launcher whose processes carry {@code tag} (plus a sequence number) in {@link #TAG_VAR}, so
   * that a later launcher can find them with {@link #killTagged} after this one died.
   */
  public Launcher(Groups groups, String tag) {
    this.groups = groups;
    this.launcherTag = tag;
    this.timers =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "braid-process-timers");
              t.setDaemon(true);
              return t;
            });
    timers.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts {@code spec.command()} with stdin from /dev/null (or a program's own stdin file) and
   * stdout and stderr appended to the log. Never throws for a command that cannot run: the task
   * then ends at once as {@link Outcome.FailedToStart}, with the reason also in the log.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public RunningTask launch(LaunchSpec spec, OutputListener listener) {
    if (closed) {
      throw new IllegalStateException("launcher is closed");
    }
    Instant start = Instant.now();
    OutputStream log;
    try {
      log = new FileOutputStream(spec.logFile().toFile(), true);
    } catch (IOException e) {
      return new RunningTask(
          spec, start, "cannot open log " + spec.logFile() + ": " + e.getMessage());
    }
    if (!Files.isDirectory(spec.workingDir())) {
      return failed(spec, start, log, "working directory does not exist: " + spec.workingDir());
    }
    String tag = launcherTag + "/" + sequence.incrementAndGet();
    Invocation how = invocation(spec);
    if (how instanceof Invocation.Direct d) {
      // Found here, not by setsid, so that a missing program is a clean FailedToStart.
      Optional<Path> program = findProgram(d.argv().get(0), spec.workingDir());
      if (program.isEmpty()) {
        return failed(spec, start, log, d.argv().get(0) + ": command not found");
      }
      List<String> resolved = new ArrayList<>(d.argv());
      resolved.set(0, program.get().toString());
      how = new Invocation.Direct(resolved);
    }
    List<String> argv = new ArrayList<>();
    // A program given with its arguments is an agent: it starts process trees of its own.
    boolean program = spec.command() instanceof Command.Exec;
    boolean ownGroup =
        switch (how) {
          case Invocation.Direct d -> (groups == Groups.ALL || program) && addGroupPrefix(argv);
          case Invocation.Shell s -> addGroupPrefix(argv);
        };
    switch (how) {
      case Invocation.Direct d -> argv.addAll(d.argv());
      case Invocation.Shell s -> argv.addAll(List.of("bash", "-c", s.script()));
    }
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .directory(spec.workingDir().toFile())
            .redirectInput(Redirect.from(stdin(spec)))
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.putAll(spec.env());
    env.put(TAG_VAR, tag);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return failed(spec, start, log, cannotRun(argv.get(0), e));
    }
    RunningTask task = new RunningTask(spec, process, ownGroup, tag, start, signals, timers);
    live.add(task);
    task.begin(log, listener, () -> live.remove(task));
    return task;
  }

  /**
   * Kills every process (of this user) whose {@link #TAG_VAR} starts with {@code tagPrefix}: what a
   * launcher that was killed outright left running. Returns how many it found (0 where processes'
   * environments cannot be read).
   */
  public static int killTagged(String tagPrefix) {
    return Signals.detect().sweep(TAG_VAR, tagPrefix, true, true);
  }

  /** Terminates every live task (TERM, KILL after each one's grace); does not wait. */
  public void terminateAll(String reason) {
    List.copyOf(live).forEach(t -> t.terminate(reason));
  }

  /** The tasks started and not yet finished. */
  public int liveCount() {
    return live.size();
  }

  /**
   * Stops every live task and waits for them (at most their longest kill grace plus a margin), then
   * kills anything left that carries this launcher's tag. No process or thread of this launcher
   * survives it.
   */
  @Override
  public void close() {
    closed = true;
    List<RunningTask> tasks = List.copyOf(live);
    tasks.forEach(t -> t.terminate("launcher closed"));
    Duration grace =
        tasks.stream()
            .map(t -> t.spec().killGrace())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    awaitAll(tasks, grace.plus(CLOSE_MARGIN));
    List.copyOf(live).forEach(t -> t.signalTree(true));
    signals.sweep(TAG_VAR, launcherTag + "/", true, true);
    awaitAll(List.copyOf(live), CLOSE_MARGIN);
    timers.shutdownNow();
    try {
      timers.awaitTermination(CLOSE_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitAll(List<RunningTask> tasks, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (RunningTask t : tasks) {
      try {
        t.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // escalated below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean addGroupPrefix(List<String> argv) {
    return signals.groupPrefix().map(argv::addAll).orElse(false);
  }

  /** A direct command is found on Braid's PATH by the JDK; a PATH of the task's own needs bash. */
  private static Invocation invocation(LaunchSpec spec) {
    return switch (spec.command()) {
      case Command.Exec e -> new Invocation.Direct(e.argv());
      case Command.Shell s -> {
        Invocation how = Invocation.of(s.script());
        yield how instanceof Invocation.Direct && spec.env().containsKey("PATH")
            ? new Invocation.Shell(s.script())
            : how;
      }
    };
  }

  private static File stdin(LaunchSpec spec) {
    return spec.command() instanceof Command.Exec e && e.stdin() != null
        ? e.stdin().toFile()
        : DEV_NULL;
  }

  /**
   * Where the JDK would find {@code name}: relative to the working directory if it has a slash,
   * else on Braid's PATH. A few stat calls.
   */
  static Optional<Path> findProgram(String name, Path workingDir) {
    if (name.indexOf('/') >= 0) {
      Path p = workingDir.resolve(name);
      return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String entry : path.split(":")) {
      Path p = (entry.isEmpty() ? workingDir : workingDir.resolve(entry)).resolve(name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static RunningTask failed(
      LaunchSpec spec, Instant start, OutputStream log, String message) {
    if (log != null) {
      try (log) {
        log.write(("braid: " + message + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the outcome carries the message too
      }
    }
    return new RunningTask(spec, start, message);
  }

  private static String cannotRun(String program, IOException e) {
    String detail = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    if (detail != null && detail.startsWith("error=2,")) {
      return program + ": command not found";
    }
    return "cannot run " + program + ": " + detail;
  }
}
