package dev.braid.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A launched task. Its output goes to the log file. It is finished when the command has exited and
 * nothing it left in its process group still runs (leftovers get {@link #LINGER}, then are stopped
 * like a terminated task); then {@link #onExit()} completes, after the listener has had every line.
 */
public final class RunningTask {

  /** How long leftovers in the group may run after the command exited before they are stopped. */
  static final Duration LINGER = Duration.ofMillis(200);

  /** Up to this much unread output is passed on by the thread that saw the task end. */
  private static final long INLINE_TAIL = 64 * 1024;

  private final LaunchSpec spec;
  private final Child child;
  private final String tag;
  private volatile Instant start; // null while queued
  private final Signals signals;
  private final ScheduledExecutorService timers;
  private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
  private final AtomicReference<Outcome> cause = new AtomicReference<>();
  private volatile LogTail tail;
  private volatile ScheduledFuture<?> timeout;
  private volatile ScheduledFuture<?> idle;

  /** A task that never started. */
  RunningTask(LaunchSpec spec, Instant start, String failure) {
    this.spec = spec;
    this.child = null;
    this.tag = "";
    this.start = start;
    this.signals = null;
    this.timers = null;
    exit.complete(new TaskExit(new Outcome.FailedToStart(failure), -1, start, Instant.now(), 0L));
  }

  RunningTask(
      LaunchSpec spec,
      Child child,
      String tag,
      Instant start,
      Signals signals,
      ScheduledExecutorService timers) {
    this.spec = spec;
    this.child = child;
    this.tag = tag;
    this.start = start;
    this.signals = signals;
    this.timers = timers;
  }

  /**
   * Starts the timers and, with a listener, the tail of the log from {@code logOffset} (read by
   * {@link #pollOutput}); called once, right after the process started.
   */
  void begin(long logOffset, OutputListener listener, Runnable whenDone) {
    if (listener != OutputListener.NONE) {
      tail = new LogTail(spec.logFile(), logOffset, listener);
    }
    spec.timeout()
        .ifPresent(
            t ->
                timeout =
                    schedule(
                        () ->
                            timers.schedule(
                                () -> stop(new Outcome.TimedOut(t)),
                                t.toNanos(),
                                TimeUnit.NANOSECONDS)));
    spec.idleTimeout().ifPresent(t -> scheduleIdleCheck(t, t.toNanos()));
    child
        .exited()
        .whenComplete(
            (e, lost) -> {
              if (lost instanceof SpawnHelper.StartFailure never) {
                note(spec.logFile(), never.getMessage());
                cause.set(new Outcome.FailedToStart(never.getMessage()));
              } else if (lost != null) {
                cause.compareAndSet(null, new Outcome.Killed(lost.getMessage()));
              } else if (e.groupLeft()) {
                lingerThenStop();
              }
            });
    child
        .groupEmpty()
        .whenComplete(
            (ignored, error) -> {
              // The end is when the group emptied, not when its output was passed on.
              Instant end = child.emptiedAt().orElseGet(Instant::now);
              LogTail t = tail;
              if (t == null || t.pending() < INLINE_TAIL) {
                finish(whenDone, end);
              } else {
                // Much output left for the listener: not on the thread that reports every end.
                Thread.ofVirtual().name("braid-tail-end").start(() -> finish(whenDone, end));
              }
            });
  }

  /**
   * Passes the complete lines the command wrote since the last call on to its listener; the
   * launcher's ticker calls it for every live task. Whatever is left is passed on when it ends.
   */
  void pollOutput() {
    LogTail t = tail;
    if (t != null) {
      t.poll();
    }
  }

  public LaunchSpec spec() {
    return spec;
  }

  /**
   * The launched process's pid (with a process group, also the group's id); -1 if none. May wait
   * for braid-spawn's word that it started: not from an engine turn, which can run on the thread
   * that reads that word.
   */
  public long pid() {
    return child == null ? -1 : child.pid();
  }

  /** When it started; null while it is queued. */
  public Instant started() {
    return start;
  }

  /** A queued task started (see {@link Launcher#queue}). */
  void startedAt(Instant at) {
    start = at;
  }

  /** A queued task never started: cancelled, or braid-spawn died. */
  void neverStarted(SpawnHelper.NotStarted why) {
    exit.completeExceptionally(why);
  }

  /**
   * Starts a queued task now, in agent slot {@code slot}, which is free; nothing if it started or
   * was cancelled already.
   */
  public void promote(int slot) {
    if (child instanceof Child.Spawned s) {
      s.helper().promote(s.handle().id, slot);
    }
  }

  /**
   * Takes a queued task out of the queue unless it started already; then {@link #onExit()} fails
   * with {@link SpawnHelper.NotStarted}. A started task must be terminated instead.
   */
  public void cancel() {
    if (child instanceof Child.Spawned s) {
      s.helper().cancel(s.handle().id);
    }
  }

  public boolean isDone() {
    return exit.isDone();
  }

  /**
   * Completes once the process exited and its output is complete in the log; fails with {@link
   * SpawnHelper.NotStarted} for a queued task that never started.
   */
  public CompletableFuture<TaskExit> onExit() {
    return exit.copy();
  }

  /**
   * Stops the task's whole process tree: TERM now, KILL after the spec's grace. The task then ends
   * as {@link Outcome.Killed} with this reason, unless it had already ended or was being stopped.
   */
  public void terminate(String reason) {
    stop(new Outcome.Killed(reason));
  }

  /** Kills the task's whole process tree now, without the grace period. */
  public void kill(String reason) {
    if (child == null || exit.isDone()) {
      return;
    }
    cause.compareAndSet(null, new Outcome.Killed(reason));
    signalTree(true);
  }

  private void stop(Outcome why) {
    if (exit.isDone() || !cause.compareAndSet(null, why)) {
      return;
    }
    stopTree();
  }

  /** TERM, then KILL after the grace, to the group, the known descendants and the tagged rest. */
  private void stopTree() {
    Duration grace = spec.killGrace();
    if (grace.isZero()) {
      signalTree(true);
      return;
    }
    signalTree(false);
    try {
      timers.schedule(() -> signalTree(true), grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      signalTree(true); // the launcher is closing and sweeps on its own; be sure anyway
    }
  }

  /** Signals everything of this task that may still run. */
  void signalTree(boolean force) {
    if (child == null || exit.isDone()) {
      return;
    }
    // Children first collected, then signalled: once their parent dies they are re-parented.
    List<ProcessHandle> tree = child.descendants();
    child.signal(force);
    tree.forEach(h -> Signals.signal(h, force));
    signals.sweep(Launcher.TAG_VAR, tag, false, force);
  }

  private void scheduleIdleCheck(Duration limit, long delayNanos) {
    idle =
        schedule(
            () ->
                timers.schedule(
                    () -> {
                      long quiet = Duration.between(lastOutput(), Instant.now()).toNanos();
                      if (quiet >= limit.toNanos()) {
                        stop(new Outcome.IdleTimedOut(limit));
                      } else if (!exit.isDone()) {
                        scheduleIdleCheck(limit, limit.toNanos() - quiet);
                      }
                    },
                    delayNanos,
                    TimeUnit.NANOSECONDS));
  }

  /** When the command last wrote output: the log's modification time, or the start. */
  private Instant lastOutput() {
    try {
      Instant written = Files.getLastModifiedTime(spec.logFile()).toInstant();
      return written.isAfter(start) ? written : start;
    } catch (IOException e) {
      return start;
    }
  }

  /** The command exited and left processes in its group: they get LINGER, then are stopped. */
  private void lingerThenStop() {
    schedule(
        () ->
            timers.schedule(
                () -> {
                  if (!child.groupEmpty().isDone() && cause.get() == null) {
                    stopTree(); // leftovers; the outcome stays the command's own exit
                  }
                },
                LINGER.toNanos(),
                TimeUnit.NANOSECONDS));
  }

  /** Completes the task; {@code whenDone} runs first, so a waiter never sees it still live. */
  private void finish(Runnable whenDone, Instant end) {
    cancel(timeout);
    cancel(idle);
    LogTail t = tail;
    if (t != null) {
      t.end();
    }
    SpawnHelper.LeaderExit e =
        child.exited().isCompletedExceptionally() ? null : child.exited().getNow(null);
    int code = e == null ? -1 : e.code();
    Outcome why = cause.get();
    whenDone.run();
    exit.complete(
        new TaskExit(
            why == null ? new Outcome.Exited(code) : why,
            code,
            start,
            end,
            why instanceof Outcome.FailedToStart ? Long.valueOf(0) : outputBytes()));
  }

  /**
   * How many bytes the command printed: braid-spawn counts them; otherwise (the JDK wrote the log,
   * which it created before the start) the log's size, or null when the log is gone.
   */
  private Long outputBytes() {
    OptionalLong counted = child.outputBytes();
    if (counted.isPresent()) {
      return counted.getAsLong();
    }
    File log = spec.logFile().toFile();
    long size = log.length();
    return size > 0 || log.isFile() ? size : null;
  }

  /** Appends {@code braid: message} to a task's log; the outcome carries it if that fails. */
  static void note(java.nio.file.Path log, String message) {
    try (java.io.OutputStream out = new java.io.FileOutputStream(log.toFile(), true)) {
      out.write(("braid: " + message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // the outcome says it too
    }
  }

  /** Schedules on the launcher's timer; null once it is closing (the launcher then stops tasks). */
  private static ScheduledFuture<?> schedule(java.util.function.Supplier<ScheduledFuture<?>> s) {
    try {
      return s.get();
    } catch (RejectedExecutionException closing) {
      return null;
    }
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
