package dev.braid.run;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>Every command's output goes to its log file (stdin is /dev/null); a listener gets the lines
 * read back from the log ({@link LogTail}). With braid-spawn the output goes through a pipe that
 * the helper copies to the log, which is created with the first output: a task that prints nothing
 * leaves no log file. The JDK's way opens the log for the command to write itself. A command
 * without shell syntax is executed directly, like make does, anything else by {@code bash -c}
 * ({@link Invocation}).
 *
 * <p>Two ways to start a process, see docs/benchmarks.md "Process launch cost":
 *
 * <ul>
 *   <li>{@code braid-spawn} ({@link SpawnHelper}), on Linux with a C compiler: one helper process
 *       forks every task into a process group of its own and reaps it; the JVM forks once per
 *       launcher. A launch is one fork and one exec.
 *   <li>The JDK's {@link ProcessBuilder}: a posix_spawn of {@code jspawnhelper} and an exec per
 *       task, plus {@code setsid}'s exec for a process group ({@link Groups}).
 * </ul>
 */
public final class Launcher implements AutoCloseable {

  /** Which commands run in a process group of their own when the JDK starts them. */
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

  /** How processes are started. */
  public enum Spawner {
    /**
     * {@code braid-spawn} where it can be had, else the JDK. Every command then gets a process
     * group of its own at no cost, whatever the {@link Groups}.
     */
    AUTO,
    /** The JDK's {@link ProcessBuilder} for every task. */
    JDK;

    /** {@code BRAID_SPAWN=jdk} in the environment selects {@link #JDK}; anything else AUTO. */
    public static Spawner fromEnvironment() {
      return "jdk".equalsIgnoreCase(System.getenv("BRAID_SPAWN")) ? JDK : AUTO;
    }
  }

  /** Every process a task starts inherits this variable; on Linux it finds strays. */
  public static final String TAG_VAR = "BRAID_PROCESS_TAG";

  /**
   * How often running tasks' logs are read for their listeners: the live view redraws at about this
   * rate. One ticker for all tasks, one positioned read per task with new output; the rest is read
   * when a task ends.
   */
  static final Duration TAIL_PERIOD = Duration.ofMillis(100);

  private static final File DEV_NULL = new File("/dev/null");
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(2);

  private final Groups groups;
  private final Spawner spawner;
  private final Signals signals = Signals.detect();
  private final String launcherTag;
  private final AtomicLong sequence = new AtomicLong();
  private final Set<RunningTask> live = ConcurrentHashMap.newKeySet();
  private final Map<String, Path> programs = new ConcurrentHashMap<>();

  /** Working directories seen to exist. */
  private final Set<Path> directories = ConcurrentHashMap.newKeySet();

  private final ScheduledThreadPoolExecutor timers;
  private Optional<SpawnHelper> helper; // started on first launch; guarded by this
  private volatile boolean closed;

  /** Process groups for shell commands only; the spawner from {@link Spawner#fromEnvironment()}. */
  public Launcher() {
    this(Groups.SHELL_ONLY, Spawner.fromEnvironment());
  }

  public Launcher(Groups groups) {
    this(groups, Spawner.fromEnvironment());
  }

  public Launcher(Groups groups, Spawner spawner) {
    this(groups, spawner, UUID.randomUUID().toString());
  }

  /**
   * A launcher whose processes carry {@code tag} (plus a sequence number) in {@link #TAG_VAR}, so
   * that a later launcher can find them with {@link #killTagged} after this one died.
   */
  public Launcher(Groups groups, String tag) {
    this(groups, Spawner.fromEnvironment(), tag);
  }

  public Launcher(Groups groups, Spawner spawner, String tag) {
    this.groups = groups;
    this.spawner = spawner;
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
    timers.scheduleWithFixedDelay(
        () -> live.forEach(RunningTask::pollOutput),
        TAIL_PERIOD.toNanos(),
        TAIL_PERIOD.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Which way processes are started: {@code braid-spawn} or {@code jdk}. Starts the helper. */
  public String mechanism() {
    return helper().isPresent() ? "braid-spawn" : "jdk";
  }

  /**
   * Why the JDK starts the processes and not {@code braid-spawn}, in words; empty when {@code
   * braid-spawn} does. Starts the helper.
   */
  public Optional<String> whyNotSpawnHelper() {
    if (spawner == Spawner.JDK) {
      return Optional.of("BRAID_SPAWN=jdk");
    }
    if (helper().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(Objects.requireNonNullElse(SpawnHelper.unavailable(), "braid-spawn ended"));
  }

  private synchronized Optional<SpawnHelper> helper() {
    if (helper == null) {
      helper = spawner == Spawner.AUTO ? SpawnHelper.start() : Optional.empty();
    }
    return helper.filter(h -> !h.isDead());
  }

  /**
   * Starts {@code spec.command()} with stdin from /dev/null (or a program's own stdin file) and
   * stdout and stderr appended to the log. Never throws for a command that cannot run: the task
   * then ends at once as {@link Outcome.FailedToStart}, with the reason also in the log.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public RunningTask launch(LaunchSpec spec, OutputListener listener) {
    return launch(spec, listener, 0);
  }

  /**
   * Like {@link #launch(LaunchSpec, OutputListener)}, the task holding agent slot {@code slot} (>
   * 0; it must be free), which a {@linkplain #queue queued} task takes when this one ends.
   */
  public RunningTask launch(LaunchSpec spec, OutputListener listener, int slot) {
    Instant start = Instant.now();
    Prepared p = prepare(spec);
    if (p.failure() != null) {
      return failed(spec, start, p.failure());
    }
    long offset = listener == OutputListener.NONE ? 0 : LogTail.sizeOf(spec.logFile());
    Optional<SpawnHelper> h = helper();
    RunningTask task;
    if (h.isPresent()) {
      // Not waiting for the exec: a failure ends the task as FailedToStart, like any end.
      SpawnHelper.Handle handle;
      try {
        handle = h.get().spawn(p.request(spec), slot);
      } catch (IOException e) {
        return failed(spec, start, "cannot start " + p.program() + ": " + e.getMessage());
      }
      task =
          new RunningTask(
              spec, new Child.Spawned(h.get(), handle), p.tag(), start, signals, timers);
    } else {
      try {
        task =
            new RunningTask(
                spec, fork(spec, p.how(), p.argv(), p.tag()), p.tag(), start, signals, timers);
      } catch (SpawnHelper.StartFailure e) {
        return failed(spec, start, e.getMessage());
      }
    }
    live.add(task);
    task.begin(offset, listener, () -> live.remove(task));
    return task;
  }

  /**
   * Hands {@code spec} over to start the moment a task launched with a slot ends, in that slot
   * (before that end is reported), or when {@linkplain RunningTask#promote promoted} into a free
   * one; queued tasks start in the order they were queued. {@code started} gets the slot and the
   * helper's time of the start, on the thread that reads braid-spawn's replies, before the task's
   * end can be reported; the task then runs like a launched one. One that is {@linkplain
   * RunningTask#cancel cancelled} first never starts: its {@link RunningTask#onExit()} fails with
   * {@link SpawnHelper.NotStarted}.
   *
   * <p>Empty where a task cannot be queued: without braid-spawn, or for a command that cannot run
   * ({@link #launch} then says why).
   */
  public Optional<RunningTask> queue(
      LaunchSpec spec, OutputListener listener, Executor.Started started) {
    if (closed) {
      throw new IllegalStateException("launcher is closed");
    }
    Optional<SpawnHelper> h = helper();
    Prepared p = h.isPresent() ? prepare(spec) : null;
    if (p == null || p.failure() != null) {
      return Optional.empty();
    }
    long offset = listener == OutputListener.NONE ? 0 : LogTail.sizeOf(spec.logFile());
    SpawnHelper.Handle handle;
    try {
      handle = h.get().queue(p.request(spec));
    } catch (IOException e) {
      return Optional.empty();
    }
    RunningTask task =
        new RunningTask(spec, new Child.Spawned(h.get(), handle), p.tag(), null, signals, timers);
    handle.started.whenComplete(
        (pid, error) -> {
          if (error instanceof SpawnHelper.NotStarted never) {
            task.neverStarted(never);
            return;
          }
          // the helper's time, not when this thread read it: also a start that failed, which had
          // its slot
          Instant at = handle.startedAt();
          task.startedAt(at);
          started.started(handle.slot, at);
          live.add(task);
          task.begin(offset, listener, () -> live.remove(task));
        });
    return Optional.of(task);
  }

  /**
   * Sends the tasks {@linkplain #queue queued} since the last call to braid-spawn: they are held
   * back until then, so that a turn's worth goes in one write.
   */
  public void handOver() {
    Optional<SpawnHelper> h;
    synchronized (this) {
      h = helper;
    }
    if (h != null) {
      h.ifPresent(SpawnHelper::flush);
    }
  }

  /** What a launch needs: the process's argv and tag, or why the command cannot run. */
  private record Prepared(
      long id, String tag, Invocation how, String program, List<String> argv, String failure) {

    SpawnHelper.Request request(LaunchSpec spec) {
      Map<String, String> env = new LinkedHashMap<>(spec.env());
      env.put(TAG_VAR, tag);
      return new SpawnHelper.Request(
          id, spec.workingDir(), spec.logFile(), stdinFile(spec), argv, env);
    }
  }

  private Prepared prepare(LaunchSpec spec) {
    if (closed) {
      throw new IllegalStateException("launcher is closed");
    }
    // Checked once per directory: one removed later fails in the spawner, also as FailedToStart.
    if (!directories.contains(spec.workingDir())) {
      if (!Files.isDirectory(spec.workingDir())) {
        return failure("working directory does not exist: " + spec.workingDir());
      }
      directories.add(spec.workingDir());
    }
    long id = sequence.incrementAndGet();
    String tag = launcherTag + "/" + id;
    Invocation how = invocation(spec);
    // Found here, not by the exec, so that a missing program is a clean FailedToStart.
    String program =
        switch (how) {
          case Invocation.Direct d -> d.argv().get(0);
          case Invocation.Shell s -> "bash";
        };
    Optional<Path> found = program(program, spec.workingDir());
    if (found.isEmpty()) {
      return failure(program + ": command not found");
    }
    List<String> argv = new ArrayList<>();
    argv.add(found.get().toString());
    switch (how) {
      case Invocation.Direct d -> argv.addAll(d.argv().subList(1, d.argv().size()));
      case Invocation.Shell s -> argv.addAll(shellArguments(argv.get(0), s.script()));
    }
    return new Prepared(id, tag, how, program, argv, null);
  }

  /** Longest single argument Linux takes (MAX_ARG_STRLEN, 128 KiB with its NUL). */
  private static final int MAX_ARGUMENT_BYTES = 128 * 1024 - 1;

  /** Characters per piece of a long script: at most 3 UTF-8 bytes each, under the limit. */
  private static final int PIECE_CHARS = 32 * 1024;

  /**
   * {@code -c script}, or for a script longer than one argument can carry, pieces of it that a
   * short {@code -c} joins ({@code "$*"} with an empty IFS) and evaluates, after setting IFS back
   * to bash's default (not unset: a script saving and restoring IFS would restore it empty) and
   * emptying the positional parameters, with {@code bash} as {@code $0}: the script sees what
   * {@code bash -c} would give it.
   */
  static List<String> shellArguments(String bash, String script) {
    if (script.length() * 3 <= MAX_ARGUMENT_BYTES
        || script.getBytes(StandardCharsets.UTF_8).length <= MAX_ARGUMENT_BYTES) {
      return List.of("-c", script);
    }
    List<String> args = new ArrayList<>();
    args.add("-c");
    args.add("IFS=; eval \"IFS=\\$' \\t\\n'; set --\n$*\"");
    args.add(bash);
    for (int from = 0; from < script.length(); ) {
      int to = Math.min(script.length(), from + PIECE_CHARS);
      if (to < script.length() && Character.isHighSurrogate(script.charAt(to - 1))) {
        to--; // keep a surrogate pair in one piece
      }
      args.add(script.substring(from, to));
      from = to;
    }
    return args;
  }

  private static Prepared failure(String why) {
    return new Prepared(0, null, null, null, null, why);
  }

  /** The JDK's way: posix_spawn (through jspawnhelper), with setsid's exec for a group. */
  private Child fork(LaunchSpec spec, Invocation how, List<String> command, String tag)
      throws SpawnHelper.StartFailure {
    // Opened here so that an unwritable log is a clean FailedToStart.
    try {
      new FileOutputStream(spec.logFile().toFile(), true).close();
    } catch (IOException e) {
      throw new SpawnHelper.StartFailure(
          "cannot open log " + spec.logFile() + ": " + e.getMessage());
    }
    List<String> argv = new ArrayList<>();
    // A program given with its arguments is an agent: it starts process trees of its own.
    boolean program = spec.command() instanceof Command.Exec;
    boolean ownGroup =
        switch (how) {
          case Invocation.Direct d -> (groups == Groups.ALL || program) && addGroupPrefix(argv);
          case Invocation.Shell s -> addGroupPrefix(argv);
        };
    argv.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .directory(spec.workingDir().toFile())
            .redirectInput(Redirect.from(stdin(spec)))
            .redirectOutput(Redirect.appendTo(spec.logFile().toFile()))
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.putAll(spec.env());
    env.put(TAG_VAR, tag);
    try {
      return new Child.Forked(pb.start(), ownGroup, signals, timers);
    } catch (IOException e) {
      if (!Files.isDirectory(spec.workingDir())) { // removed since prepare() first saw it
        throw new SpawnHelper.StartFailure(
            "working directory does not exist: " + spec.workingDir());
      }
      throw new SpawnHelper.StartFailure(cannotRun(argv.get(0), e));
    }
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
    synchronized (this) {
      if (helper != null) {
        helper.ifPresent(SpawnHelper::close);
      }
    }
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

  /** A program's own stdin file, or null for /dev/null. */
  private static Path stdinFile(LaunchSpec spec) {
    return spec.command() instanceof Command.Exec e ? e.stdin() : null;
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

  private static RunningTask failed(LaunchSpec spec, Instant start, String message) {
    RunningTask.note(spec.logFile(), message);
    return new RunningTask(spec, start, message);
  }

  /**
   * {@link #findProgram} for names on Braid's PATH, remembered (PATH does not change during a run);
   * a path with a slash is looked up every time.
   */
  private Optional<Path> program(String name, Path workingDir) {
    if (name.indexOf('/') >= 0) {
      return findProgram(name, workingDir);
    }
    Path known = programs.get(name);
    if (known != null) {
      return Optional.of(known); // removed since: the spawner's exec fails, "command not found"
    }
    Optional<Path> found = findProgram(name, workingDir);
    found.ifPresent(p -> programs.put(name, p));
    return found;
  }

  private static String cannotRun(String program, IOException e) {
    String detail = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    if (detail != null && detail.startsWith("error=2,")) {
      return program + ": command not found";
    }
    return "cannot run " + program + ": " + detail;
  }
}
