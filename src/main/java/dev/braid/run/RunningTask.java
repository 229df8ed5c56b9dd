package dev.braid.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A launched task. It is finished when its process has exited and all of its output is in the log
 * file; then {@link #onExit()} completes. One virtual thread per task copies the output; it ends
 * with the task.
 */
public final class RunningTask {

  /** How long output may stay open after the command exited before its holders are stopped. */
  static final Duration LINGER = Duration.ofMillis(200);

  private static final int MAX_LINE = 64 * 1024;

  private final LaunchSpec spec;
  private final Process process;
  private final boolean ownGroup;
  private final String tag;
  private final Instant start;
  private final Signals signals;
  private final ScheduledExecutorService timers;
  private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
  private final CompletableFuture<Void> outputDone = new CompletableFuture<>();
  private final AtomicReference<Outcome> cause = new AtomicReference<>();
  private volatile long lastOutputNanos;
  private volatile ScheduledFuture<?> timeout;
  private volatile ScheduledFuture<?> idle;

  /** A task that never started. */
  RunningTask(LaunchSpec spec, Instant start, String failure) {
    this.spec = spec;
    this.process = null;
    this.ownGroup = false;
    this.tag = "";
    this.start = start;
    this.signals = null;
    this.timers = null;
    outputDone.complete(null);
    exit.complete(new TaskExit(new Outcome.FailedToStart(failure), -1, start, Instant.now()));
  }

  RunningTask(
      LaunchSpec spec,
      Process process,
      boolean ownGroup,
      String tag,
      Instant start,
      Signals signals,
      ScheduledExecutorService timers) {
    this.spec = spec;
    this.process = process;
    this.ownGroup = ownGroup;
    this.tag = tag;
    this.start = start;
    this.signals = signals;
    this.timers = timers;
    this.lastOutputNanos = System.nanoTime();
  }

  /** Starts the output copy and the timers; called once, right after the process started. */
  void begin(OutputStream log, OutputListener listener, Runnable whenDone) {
    Thread.ofVirtual()
        .name("braid-output-" + process.pid())
        .start(() -> copyOutput(process.getInputStream(), log, listener));
    spec.timeout()
        .ifPresent(
            t ->
                timeout =
                    timers.schedule(
                        () -> stop(new Outcome.TimedOut(t)), t.toNanos(), TimeUnit.NANOSECONDS));
    spec.idleTimeout().ifPresent(t -> scheduleIdleCheck(t, t.toNanos()));
    process.onExit().thenRun(this::processExited);
    CompletableFuture.allOf(process.onExit(), outputDone)
        .whenComplete(
            (ignored, error) -> {
              // Leave the launcher's live set first: whoever sees the exit sees it gone.
              whenDone.run();
              finish();
            });
  }

  public LaunchSpec spec() {
    return spec;
  }

  /** The launched process's pid (with a process group, also the group's id); -1 if none. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public Instant started() {
    return start;
  }

  public boolean isDone() {
    return exit.isDone();
  }

  /** Completes once the process exited and its output is complete in the log. */
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
    if (process == null || exit.isDone()) {
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
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      signalTree(true); // the launcher is closing and sweeps on its own; be sure anyway
    }
  }

  /** Signals everything of this task that may still run. */
  void signalTree(boolean force) {
    // Children first collected, then signalled: once their parent dies they are re-parented.
    List<ProcessHandle> tree = process.descendants().toList();
    // After the leader is reaped its pid may be reused; the group is signalled only while it is
    // alive, or while someone still holds the output pipe (so the group still exists).
    if (ownGroup && (process.isAlive() || !outputDone.isDone())) {
      signals.signalGroup(process.pid(), force);
    }
    if (process.isAlive()) {
      Signals.signal(process.toHandle(), force);
    }
    tree.forEach(h -> Signals.signal(h, force));
    signals.sweep(Launcher.TAG_VAR, tag, false, force);
  }

  private void scheduleIdleCheck(Duration limit, long delayNanos) {
    try {
      idle =
          timers.schedule(
              () -> {
                long quiet = System.nanoTime() - lastOutputNanos;
                if (quiet >= limit.toNanos()) {
                  stop(new Outcome.IdleTimedOut(limit));
                } else if (!exit.isDone()) {
                  scheduleIdleCheck(limit, limit.toNanos() - quiet);
                }
              },
              delayNanos,
              TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the launcher is closing; it stops this task
    }
  }

  /** The command exited; anything still holding its output (a background child) gets LINGER. */
  private void processExited() {
    if (outputDone.isDone()) {
      return;
    }
    try {
      timers.schedule(
          () -> {
            if (!outputDone.isDone() && cause.get() == null) {
              stopTree(); // leftovers; the outcome stays the command's own exit
            }
          },
          LINGER.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the launcher is closing; it stops this task
    }
  }

  private void finish() {
    cancel(timeout);
    cancel(idle);
    int code = process.exitValue();
    Outcome why = cause.get();
    exit.complete(
        new TaskExit(why == null ? new Outcome.Exited(code) : why, code, start, Instant.now()));
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  private void copyOutput(InputStream in, OutputStream log, OutputListener listener) {
    boolean lines = listener != OutputListener.NONE;
    boolean logging = true;
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        lastOutputNanos = System.nanoTime();
        if (logging) {
          logging = write(log, buf, n);
        }
        if (lines) {
          lines = split(buf, n, partial, listener);
        }
      }
      if (lines && partial.size() > 0) {
        deliver(partial, listener);
      }
    } catch (IOException e) {
      // The pipe broke: the process is gone, and so is its output.
    } finally {
      close(log);
      outputDone.complete(null);
    }
  }

  /** Writes unbuffered so the log is current for anyone tailing it; false once it fails. */
  private static boolean write(OutputStream log, byte[] buf, int n) {
    try {
      log.write(buf, 0, n);
      return true;
    } catch (IOException e) {
      // Disk full or the like: keep reading so the command does not block on a full pipe.
      return false;
    }
  }

  private static void close(OutputStream log) {
    try {
      log.close();
    } catch (IOException ignored) {
      // nothing more can be done for this log
    }
  }

  private static boolean split(byte[] buf, int n, ByteArrayOutputStream partial, OutputListener l) {
    int from = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        int end = i > from && buf[i - 1] == '\r' ? i - 1 : i;
        partial.write(buf, from, end - from);
        if (!deliver(partial, l)) {
          return false;
        }
        from = i + 1;
      }
    }
    partial.write(buf, from, n - from);
    if (partial.size() >= MAX_LINE) {
      return deliver(partial, l); // an endless line is passed on in pieces
    }
    return true;
  }

  private static boolean deliver(ByteArrayOutputStream partial, OutputListener l) {
    String line = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    try {
      l.onLine(line);
      return true;
    } catch (RuntimeException e) {
      return false; // a broken listener must not break the log
    }
  }
}
