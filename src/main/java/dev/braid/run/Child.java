package dev.braid.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A started task process as its spawner sees it: the command (the group's leader when it has a
 * group of its own) and whatever it leaves in its group after it exits.
 */
sealed interface Child {

  /** The command's pid; with a group, also the group's id. */
  long pid();

  /** Completes when the command exited, telling whether its group still had processes then. */
  CompletableFuture<SpawnHelper.LeaderExit> exited();

  /** Completes when the command exited and nothing is left in its group. */
  CompletableFuture<Void> groupEmpty();

  /**
   * When the group was found empty, as its spawner said; empty where it says nothing (the moment
   * {@link #groupEmpty()} completes is then the best there is).
   */
  default Optional<Instant> emptiedAt() {
    return Optional.empty();
  }

  /**
   * How many bytes of output the task printed, as its spawner counted them (final once {@link
   * #groupEmpty()} completed); empty where it does not count them.
   */
  default OptionalLong outputBytes() {
    return OptionalLong.empty();
  }

  /** TERM or KILL to the group (while it may exist) and to the command (while it runs). */
  void signal(boolean force);

  /** The command's descendants, while it runs (after that its pid may be reused). */
  default List<ProcessHandle> descendants() {
    if (exited().isDone()) {
      return List.of();
    }
    return ProcessHandle.of(pid()).map(h -> h.descendants().toList()).orElse(List.of());
  }

  /**
   * Started by {@code braid-spawn}: always a group of its own; the helper reports its start and
   * end. A start that failed completes {@link #exited()} with a {@link SpawnHelper.StartFailure}.
   */
  record Spawned(SpawnHelper helper, SpawnHelper.Handle handle) implements Child {
    /** Waits for the helper's word that the command runs; -1 if it never did. */
    @Override
    public long pid() {
      return handle.started.handle((pid, failed) -> failed == null ? pid : -1L).join();
    }

    /**
     * Never waits for the helper's word that the command started: a stop may be asked on the very
     * thread that reads that word (an engine turn runs there). Before it came, the group signal
     * reaches every process there is.
     */
    @Override
    public List<ProcessHandle> descendants() {
      return running().map(h -> h.descendants().toList()).orElse(List.of());
    }

    /**
     * The command, if the helper said it started and has not said it exited (after that its pid may
     * be reused); never waits for either.
     */
    private Optional<ProcessHandle> running() {
      if (!handle.started.isDone()
          || handle.started.isCompletedExceptionally()
          || handle.exited.isDone()) {
        return Optional.empty();
      }
      return ProcessHandle.of(handle.started.join());
    }

    @Override
    public CompletableFuture<SpawnHelper.LeaderExit> exited() {
      return handle.exited;
    }

    @Override
    public CompletableFuture<Void> groupEmpty() {
      return handle.groupEmpty;
    }

    @Override
    public Optional<Instant> emptiedAt() {
      return handle.emptiedAt();
    }

    @Override
    public OptionalLong outputBytes() {
      return handle.printedBytes();
    }

    @Override
    public void signal(boolean force) {
      if (handle.groupEmpty.isDone()) {
        return;
      }
      // The command itself first, at once: the helper signals the group a moment later (a
      // request on its pipe), and a shell must not outlive its children by that moment and run
      // on (a killed `sleep`, then `echo survived` and exit 0).
      running().ifPresent(h -> Signals.signal(h, force));
      helper.signal(handle.id, force);
    }
  }

  /**
   * Started by {@link ProcessBuilder}. Whether its group is empty is asked of the {@code kill}
   * program ({@code kill -0 -- -PGID}): once when the command exits, and again, backing off, only
   * while something lingers in it.
   */
  final class Forked implements Child {
    private static final Duration FIRST_PROBE = Duration.ofMillis(20);
    private static final Duration MAX_PROBE = Duration.ofMillis(500);

    private final Process process;
    private final boolean ownGroup;
    private final Signals signals;
    private final ScheduledExecutorService timers;
    private final CompletableFuture<SpawnHelper.LeaderExit> exited = new CompletableFuture<>();
    private final CompletableFuture<Void> groupEmpty = new CompletableFuture<>();

    Forked(Process process, boolean ownGroup, Signals signals, ScheduledExecutorService timers) {
      this.process = process;
      this.ownGroup = ownGroup;
      this.signals = signals;
      this.timers = timers;
      process
          .onExit()
          .thenAccept(
              p -> {
                if (!ownGroup) {
                  exited.complete(new SpawnHelper.LeaderExit(p.exitValue(), false));
                  groupEmpty.complete(null);
                  return;
                }
                signals
                    .groupExists(p.pid())
                    .thenAccept(
                        left -> {
                          exited.complete(new SpawnHelper.LeaderExit(p.exitValue(), left));
                          if (left) {
                            probeLater(FIRST_PROBE);
                          } else {
                            groupEmpty.complete(null);
                          }
                        });
              });
    }

    private void probeLater(Duration delay) {
      try {
        timers.schedule(
            () ->
                signals
                    .groupExists(process.pid())
                    .thenAccept(
                        left -> {
                          if (left) {
                            Duration next = delay.multipliedBy(2);
                            probeLater(next.compareTo(MAX_PROBE) > 0 ? MAX_PROBE : next);
                          } else {
                            groupEmpty.complete(null);
                          }
                        }),
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        groupEmpty.complete(null); // the launcher is closing and has swept everything
      }
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public CompletableFuture<SpawnHelper.LeaderExit> exited() {
      return exited;
    }

    @Override
    public CompletableFuture<Void> groupEmpty() {
      return groupEmpty;
    }

    @Override
    public void signal(boolean force) {
      // The group id stays reserved while the group has members; once it is empty, never again.
      if (ownGroup && !groupEmpty.isDone()) {
        signals.signalGroup(process.pid(), force);
      }
      if (process.isAlive()) {
        Signals.signal(process.toHandle(), force);
      }
    }

    @Override
    public List<ProcessHandle> descendants() {
      return process.isAlive() ? process.descendants().toList() : List.of();
    }
  }
}
