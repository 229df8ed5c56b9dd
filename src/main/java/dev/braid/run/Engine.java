package dev.braid.run;

import dev.braid.manifest.Counts;
import dev.braid.manifest.Task;
import dev.braid.plan.Scheduler;
import dev.braid.plan.TaskGraph;
import dev.braid.plan.TaskState;
import dev.braid.store.RunStatus;
import dev.braid.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs a plan on an {@link Executor} with the same {@link Scheduler} the simulator uses. One thread
 * (the caller of {@link #run}) owns the scheduler and the store; everything else only puts events
 * on its queue: a job ended, a retry is due, the load may have dropped, a signal came.
 *
 * <p>Every end is committed to the store before it is acted on: a task is recorded as ended before
 * its dependents may start and before anyone is told. Commits are grouped: the transaction stays
 * open for up to {@link #GROUP_COMMIT} while nothing waits for it, so a stream of short tasks costs
 * a commit per few tasks, not one per task. A task whose dependencies' ends are committed starts
 * before its own start is (a runner killed in between leaves it pending, and the resumed run kills
 * its processes by their tag).
 *
 * <p>Where the executor can {@linkplain Executor#queue queue} jobs, the run hands over ahead of
 * time the tasks the scheduler {@linkplain Scheduler#reserve reserves} (those it would start next
 * whichever running task ends first), so that the next task starts the moment one ends instead of
 * after a turn of this engine; the start is recorded when the executor reports it. Not with {@code
 * --fail-fast}, {@code --max-load} or integration checkpoints, whose decisions depend on what the
 * engine sees at each end.
 */
public final class Engine {

  /** Event types of the audit trail written by the engine. */
  public static final String TASK_STARTED = "task.started";

  public static final String TASK_SUCCEEDED = "task.succeeded";
  public static final String TASK_FAILED = "task.failed";
  public static final String TASK_RETRY = "task.retry";
  public static final String TASK_STOPPED = "task.stopped";
  public static final String TASK_BLOCKED = "task.blocked";
  public static final String RUN_INTERRUPTED = "run.interrupted";
  public static final String RUN_HELD = "run.held";
  public static final String RUN_STOPPING = "run.stopping";
  public static final String RUN_FINISHED = "run.finished";

  /**
   * How a run behaves; see {@code braid run --help}.
   *
   * @param maxLoad null for no limit
   * @param idleTimeout null for none
   * @param commandOf what a task runs; called on the engine's thread as each attempt starts
   * @param checkpoints the plan's integration checkpoints; null for none
   */
  public record Options(
      boolean failFast,
      Double maxLoad,
      Duration retryBackoff,
      Duration idleTimeout,
      Path workDir,
      Path logDir,
      Function<Task, Command> commandOf,
      Checkpoints checkpoints) {

    public Options {
      if (retryBackoff.isNegative()) {
        throw new IllegalArgumentException("retryBackoff must not be negative");
      }
    }
  }

  private sealed interface Event {
    record Ended(int task, int attempt, JobResult result) implements Event {}

    record Started(int task, int slot, Instant at) implements Event {}

    record NotStarted(int task) implements Event {}

    record RetryDue(int task) implements Event {}

    record Wake() implements Event {}

    record Interrupt() implements Event {}

    /** What one delivery posted (see {@link Batches}), taken by one turn. */
    record Gathered(List<Event> events) implements Event {}

    record CheckpointEnded(Checkpoints.Ended ended) implements Event {}
  }

  /**
   * Group commit: how long the ends and starts of a run may wait for their commit when nothing
   * waits for them (no dependent is ready, no retry is due). Listeners hear of an end only once it
   * is committed, so this is also how late a plain log may show it.
   */
  static final Duration GROUP_COMMIT = Duration.ofMillis(10);

  /** Above this many agents, turns run on the run's own thread only (see Run#inline). */
  private static final int INLINE_TURNS_MAX_AGENTS = 256;

  /**
   * Tasks handed to the executor ahead of time, per agent: enough that the next starts never wait
   * for a turn of this engine even when a few turns come late (2,000 x {@code true} at -j2: 2.15 s
   * at 1 per agent, 2.0 s at 8; docs/benchmarks.md), few enough to take back at once.
   */
  private static final int AHEAD_PER_AGENT = 8;

  /**
   * And at most this many in all: a turn may run on the thread that reads braid-spawn's replies,
   * and the requests it writes must fit the helper's input pipe while the helper may be blocked
   * writing replies nobody reads yet (64 x ~250 bytes, far below the 64 KiB a pipe holds).
   */
  private static final int AHEAD_MAX = 64;

  /** Group commit: at most this many notifications wait for one commit. */
  private static final int GROUP_COMMIT_MAX = 256;

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile Run current; // the run in progress, for post()
  private final Clock clock;
  private volatile String stopStarting;

  public Engine(Clock clock) {
    this.clock = clock;
  }

  /**
   * Stops starting tasks and lets the running ones finish (a budget ran out); the run ends
   * unfinished, and resuming it goes on. Safe from any thread, and takes effect before the next
   * start even when called from a {@link RunListener} callback.
   */
  public void stopStarting(String reason) {
    stopStarting = reason;
    post(new Event.Wake());
  }

  /** Asks the run to stop (Ctrl-C, SIGTERM); a second call kills what still runs at once. */
  public void interrupt() {
    post(new Event.Interrupt());
  }

  /**
   * Queues an event and, unless a turn is running, runs a turn for it on this thread. While this
   * thread delivers a batch ({@link Batches}), gathers the events and queues them as one when it is
   * done.
   */
  private void post(Event e) {
    Run r = current;
    if (r != null && !r.turnLock.isHeldByCurrentThread()) {
      List<Event> gathered = r.gathering.get();
      if (gathered != null) {
        gathered.add(e);
        return;
      }
      List<Event> first = new ArrayList<>(List.of(e));
      if (Batches.defer(
          () -> {
            r.gathering.remove();
            enqueue(new Event.Gathered(first));
          })) {
        r.gathering.set(first);
        return;
      }
    }
    enqueue(e);
  }

  private void enqueue(Event e) {
    events.add(e);
    Run r = current;
    if (r == null || r.turnLock.isHeldByCurrentThread()) {
      return; // no run, or posted from inside a turn, whose thread looks at the queue next
    }
    if (r.inline) {
      r.drive();
    } else {
      LockSupport.unpark(r.runThread);
    }
  }

  /**
   * Runs every task the scheduler lets start until nothing more can; returns how it ended. Tasks
   * restored into the scheduler beforehand are not run.
   *
   * @param previousAttempts attempts already recorded per task id (a resumed run goes on counting)
   */
  public RunSummary run(
      RunInfo info,
      Scheduler scheduler,
      Map<String, Integer> previousAttempts,
      Store store,
      Executor executor,
      Options options,
      RunListener listener)
      throws InterruptedException {
    Run run = new Run(info, scheduler, previousAttempts, store, executor, options, listener);
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "braid-engine-timers");
              th.setDaemon(true);
              return th;
            });
    run.timers = timers;
    try {
      return run.loop();
    } finally {
      timers.shutdownNow();
      timers.awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  /** The state of one run, owned by the engine's thread. */
  private final class Run {
    private final RunInfo info;
    private final String runId;
    private final Scheduler scheduler;
    private final TaskGraph graph;
    private final Store store;
    private final Executor executor;
    private final Options options;
    private final RunListener listener;
    private final int[] attempts;
    private final int[] before;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<Integer, Executor.Execution> live = new LinkedHashMap<>();
    // Jobs handed to the executor ahead of time, not started yet (see reserveAhead).
    private final Map<Integer, Ahead> ahead = new LinkedHashMap<>();
    private final boolean pipelined;
    private final java.util.BitSet notQueueable = new java.util.BitSet();
    // Turns: one at a time, on whichever thread posts an event (drive) or on the run's thread.
    private final ReentrantLock turnLock = new ReentrantLock();
    private volatile Thread runThread; // the thread in loop(): unparked when it is needed
    // What listeners are told once the open transaction commits, in order.
    private final List<Runnable> told = new ArrayList<>();
    private long commitBy; // when the open transaction must commit (System.nanoTime)
    private volatile boolean done;
    // Whether posting threads run turns. Not with very many agents: a turn on the thread that
    // reads braid-spawn's replies must not leave so many unread that the helper blocks writing
    // them while this thread blocks writing it requests.
    private final boolean inline;

    /** What this thread's delivery posted so far (see {@link #post}). */
    private final ThreadLocal<List<Event>> gathering = new ThreadLocal<>();

    private volatile RuntimeException failure; // a turn on another thread failed: the run stops
    // The store writes of the turn, in order; made after its early starts (see turn).
    private final List<Runnable> writes = new ArrayList<>();
    // Tasks whose end is written but not committed yet.
    private final java.util.BitSet uncommitted = new java.util.BitSet();
    private final Instant startedAt = clock.instant();
    private final String stateDir;
    private ScheduledExecutorService timers;
    private int interrupts;
    private boolean wakePending;
    private boolean loadHeld;
    private String stopReason;
    private final Checkpoints checks;
    private boolean checkpointFailed;

    Run(
        RunInfo info,
        Scheduler scheduler,
        Map<String, Integer> previousAttempts,
        Store store,
        Executor executor,
        Options options,
        RunListener listener) {
      this.info = info;
      this.runId = info.runId();
      this.scheduler = scheduler;
      this.graph = scheduler.graph();
      this.store = store;
      this.executor = executor;
      this.options = options;
      this.listener = new SlotOrder(listener);
      this.checks = options.checkpoints();
      this.inline = scheduler.agents() <= INLINE_TURNS_MAX_AGENTS;
      this.pipelined =
          !options.failFast()
              && options.maxLoad() == null
              && options.checkpoints() == null
              && executor.queues();
      this.stateDir = info.stateDir().toAbsolutePath().toString();
      if (checks != null) {
        checks.onEnd(e -> post(new Event.CheckpointEnded(e)));
      }
      this.attempts = new int[graph.size()];
      for (int t = 0; t < attempts.length; t++) {
        attempts[t] = previousAttempts.getOrDefault(graph.id(t), 0);
      }
      this.before = attempts.clone();
      for (int t = 0; t < graph.size(); t++) {
        index.put(graph.id(t), t);
      }
    }

    RunSummary loop() throws InterruptedException {
      listener.runStarted(info);
      runThread = Thread.currentThread();
      turnLock.lock();
      current = this;
      try {
        turn(new ArrayList<>(), true);
        while (!done) {
          if (failure != null) {
            throw failure;
          }
          if (events.isEmpty()) {
            awaitWork();
            if (done || failure != null) {
              continue;
            }
          }
          List<Event> batch = new ArrayList<>();
          events.drainTo(batch);
          turn(batch, false); // also with no event: the commit may be due
        }
        if (failure != null) {
          throw failure;
        }
      } catch (RuntimeException | Error | InterruptedException e) {
        if (store.inTransaction()) {
          store.rollback(); // nothing of it was acted on but early starts, which stay pending
        }
        throw e;
      } finally {
        current = null;
        turnLock.unlock();
      }
      return finish();
    }

    /**
     * Waits, without the turn lock, until an event may be waiting, the open transaction's commit is
     * due, or a turn on another thread ended the run or failed. Turns run on the threads that post
     * events meanwhile. Called holding the lock; returns holding it.
     */
    private void awaitWork() throws InterruptedException {
      long deadline = store.inTransaction() ? commitBy : 0;
      turnLock.unlock();
      try {
        // Looked at after the unlock: a poster that found the lock taken before it has its event
        // in the queue by now, and one that comes later takes the lock itself or unparks us.
        if (events.isEmpty() && !done && failure == null) {
          if (deadline == 0) {
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
          }
        }
      } finally {
        turnLock.lock();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }

    /**
     * Runs turns for what was posted, on the posting thread (the one that read a task's end, a
     * timer, a signal), unless a turn is running: its thread looks at the queue again when it is
     * done. Saves a thread hand-off per event. Called without the turn lock.
     */
    void drive() {
      while (!events.isEmpty() && !done && failure == null && turnLock.tryLock()) {
        boolean wake = false;
        try {
          if (current != this || done || failure != null) {
            return;
          }
          boolean open = store.inTransaction();
          List<Event> batch = new ArrayList<>();
          events.drainTo(batch);
          turn(batch, false);
          // The run's thread returns, or minds the new transaction's commit deadline.
          wake = done || (!open && store.inTransaction());
        } catch (RuntimeException e) {
          failure = e;
          wake = true;
        } catch (Error e) {
          failure = new IllegalStateException("a turn of the run failed: " + e, e);
          wake = true;
        } finally {
          turnLock.unlock();
          if (wake) {
            LockSupport.unpark(runThread);
          }
        }
      }
    }

    /**
     * One turn, holding the turn lock: handles {@code batch}, claims and starts what may start,
     * writes the store, commits when something waits for the commit or its deadline passed. The
     * {@code first} turn starts what may start before any event came.
     */
    private void turn(List<Event> batch, boolean first) {
      if (batch.isEmpty() && !first && !store.inTransaction()) {
        return; // woken with nothing to do and nothing to commit
      }
      if (!store.inTransaction()) {
        store.begin();
        commitBy = System.nanoTime() + GROUP_COMMIT.toNanos();
      }
      List<Job> claimed = new ArrayList<>();
      for (Event e : inTimeOrder(batch)) {
        handle(e, told);
      }
      stopStartingIfAsked(told);
      if (interrupts == 0 && !scheduler.stopped() && (checks == null || !checks.holdsStarts())) {
        for (Scheduler.Launch p : scheduler.promotions()) {
          ahead.get(p.task()).execution().promote(p.slot());
        }
        claim(claimed, told);
      }
      boolean noneClaimed = claimed.isEmpty();
      // What waits for no uncommitted end starts now, before the turn's writes, so that its
      // process runs while the store writes; the rest waits for the commit.
      claimed.removeIf(this::launchedEarly);
      // The turn's store writes, after those starts: off the path from an end to a start.
      writes.forEach(Runnable::run);
      writes.clear();
      checkpoint(noneClaimed, told);
      boolean commit =
          !claimed.isEmpty()
              || live.isEmpty()
              || checks != null
              || interrupts > 0
              || scheduler.stopped()
              || told.size() >= GROUP_COMMIT_MAX
              || System.nanoTime() - commitBy >= 0;
      if (commit) {
        store.commit();
        uncommitted.clear();
        List<Runnable> now = List.copyOf(told);
        told.clear();
        now.forEach(Runnable::run);
        claimed.forEach(this::launch);
      }
      if (commit || !noneClaimed) {
        listener.turnEnded();
      }
      if (pipelined && interrupts == 0 && !scheduler.stopped()) {
        reserveAhead();
      }
      done =
          live.isEmpty()
              && ahead.isEmpty()
              && (checks == null || !checks.busy())
              && (scheduler.finished() || interrupts > 0 || scheduler.stopped());
    }

    /**
     * Starts the integration checkpoint that is due, if it may start now; {@code noneClaimed} when
     * this turn starts no task.
     */
    private void checkpoint(boolean noneClaimed, List<Runnable> after) {
      if (checks == null || interrupts > 0) {
        return;
      }
      if (noneClaimed && live.isEmpty() && checks.revertDue()) {
        revert(after);
      }
      if (noneClaimed && live.isEmpty() && (scheduler.finished() || scheduler.stopped())) {
        checks.runEnding();
      }
      Map<String, String> env = new HashMap<>();
      env.put("BRAID_RUN_ID", runId);
      env.put("BRAID_STATE_DIR", info.stateDir().toAbsolutePath().toString());
      checks.startIfDue(!(noneClaimed && live.isEmpty()), store, runId, env, listener, after);
    }

    private void checkpointEnded(Checkpoints.Ended e, List<Runnable> after) {
      switch (checks.ended(e, store, runId, listener, after)) {
        case PASSED, FAILED_CONTINUE, FAILED_REVERT -> {}
        case FAILED_STOP -> stopAfterCheckpoint(after);
      }
    }

    private void stopAfterCheckpoint(List<Runnable> after) {
      checkpointFailed = true;
      if (interrupts == 0 && !scheduler.stopped()) {
        // --on-checkpoint-fail stop (or revert that could not): no new starts; running ones finish
        scheduler.stop();
        stopReason = checks.stopReason();
        int running = live.size();
        after.add(
            () ->
                listener.note(
                    "after the failed checkpoint: starting no more tasks; "
                        + running
                        + " still running"));
      }
    }

    /**
     * {@code --on-checkpoint-fail revert}, once no task runs: the culprit and the tasks built on it
     * fail (their pending dependents are blocked) and the revert is recorded; after the commit the
     * integration branch moves to the revert, and the checkpoint runs again on it.
     */
    private void revert(List<Runnable> after) {
      switch (checks.prepareRevert(store, runId, listener, after)) {
        case SessionMerges.Revert.Impossible no -> stopAfterCheckpoint(after);
        case SessionMerges.Revert.Ready ready -> {
          Instant at = clock.instant();
          for (SessionMerges.RevertedTask r : ready.tasks()) {
            String id = r.taskId();
            List<Integer> blocked = scheduler.failedAfterSucceeding(index.get(id));
            store.setTaskState(runId, id, TaskState.FAILED, r.reason());
            store.appendEventData(
                runId,
                at,
                TASK_FAILED,
                id,
                Map.of("outcome", r.reason(), "reverted", ready.commits().head()));
            for (int b : blocked) {
              checks.taskBlocked(b, graph.id(b));
              store.setTaskState(runId, graph.id(b), TaskState.BLOCKED, "blocked by " + id);
              store.appendEventData(runId, at, TASK_BLOCKED, graph.id(b), Map.of("by", id));
            }
            after.add(
                () -> {
                  listener.taskEnded(id, TaskState.FAILED, null, r.reason());
                  blocked.forEach(b -> listener.taskBlocked(graph.id(b), id));
                });
          }
          checks.reverted(ready, store, runId, listener, after);
          if (options.failFast() && !scheduler.stopped()) {
            // nothing runs now; the check after the revert still does
            scheduler.stop();
            stopReason = "--fail-fast after " + ready.culprit() + " failed";
            after.add(() -> listener.note("--fail-fast: " + ready.culprit() + " failed"));
          }
          after.add(
              () -> {
                String failed = checks.applyRevert(ready);
                if (failed != null) {
                  listener.note(failed);
                  stopStarting(failed);
                }
                post(new Event.Wake()); // a turn starts the check after the revert
              });
        }
      }
    }

    /** {@link #stopStarting}: before anything else is claimed. */
    private void stopStartingIfAsked(List<Runnable> after) {
      String stopping = stopStarting;
      if (stopping != null && !scheduler.stopped()) {
        scheduler.stop();
        cancelAhead();
        stopReason = stopping;
        write(
            () ->
                store.appendEventData(
                    runId, clock.instant(), RUN_STOPPING, null, Map.of("reason", stopping)));
        int running = live.size();
        after.add(
            () ->
                listener.note(
                    stopping + ": starting no more tasks; " + running + " still running"));
      }
    }

    /** Takes the tasks the scheduler lets start now and records them as started. */
    private void claim(List<Job> claimed, List<Runnable> after) {
      int limit = Integer.MAX_VALUE;
      if (options.maxLoad() != null) {
        double load = LoadAverage.oneMinute();
        if (load > options.maxLoad()) {
          // Held, but never to a standstill: with nothing running, one task may start.
          limit = scheduler.running() > 0 ? 0 : 1;
          if (!loadHeld) {
            loadHeld = true;
            String why =
                String.format(
                    Locale.ROOT,
                    "load %.2f above --max-load %.2f: holding new starts",
                    load,
                    options.maxLoad());
            write(
                () ->
                    store.appendEventData(
                        runId, clock.instant(), RUN_HELD, null, Map.of("load", load)));
            after.add(() -> listener.note(why));
          }
          if (!wakePending) {
            wakePending = true;
            timers.schedule(() -> post(new Event.Wake()), 1, TimeUnit.SECONDS);
          }
        } else {
          loadHeld = false;
        }
      }
      Instant now = clock.instant();
      for (Scheduler.Launch launch : scheduler.poll(limit)) {
        int t = launch.task();
        Job job = job(t, ++attempts[t], launch.slot());
        recordStart(job, job.slot(), now);
        claimed.add(job);
      }
    }

    /**
     * Starts a claimed job before the open transaction commits, unless it or one of its
     * dependencies has an uncommitted end: a dependent (or a retry) never starts before that end is
     * committed. A job started before its own start is committed is harmless if the runner dies in
     * between: the task is then still pending, and the resumed run kills what this one left by its
     * tag.
     */
    private boolean launchedEarly(Job job) {
      if (!endsCommitted(index.get(job.taskId()))) {
        return false;
      }
      launch(job);
      return true;
    }

    /** Whether the ends of {@code t} and of its dependencies, if any came, are committed. */
    private boolean endsCommitted(int t) {
      if (uncommitted.get(t)) {
        return false;
      }
      for (int d : graph.deps(t)) {
        if (uncommitted.get(d)) {
          return false;
        }
      }
      return true;
    }

    /** Queues the store write of an attempt's end. */
    private void recordEnd(String id, Event.Ended e, JobResult r, TaskState state, String reason) {
      write(
          () ->
              store.taskEnded(
                  runId, id, e.attempt(), r.ended(), r.exitCode(), state, reason, r.outputBytes()));
    }

    /** Queues the store writes of a start. */
    private void recordStart(Job job, int slot, Instant at) {
      write(
          () ->
              store.taskStarted(
                  runId, job.taskId(), job.attempt(), slot, at, job.logFile().toString()));
      write(
          () ->
              store.appendEventData(
                  runId,
                  at,
                  TASK_STARTED,
                  job.taskId(),
                  Map.of("attempt", job.attempt(), "slot", slot)));
    }

    /** Queues a store write of this turn. */
    private void write(Runnable w) {
      writes.add(w);
    }

    /** Starts a claimed job; its end comes back as an event. */
    private void launch(Job job) {
      int t = index.get(job.taskId());
      if (told.isEmpty()) {
        listener.taskStarted(job.taskId(), job.attempt(), job.slot());
      } else {
        // an early start: told after what this turn already has to tell (the ends that freed
        // its slot, a checkpoint that passed), once they are committed, in the order it happened
        told.add(() -> listener.taskStarted(job.taskId(), job.attempt(), job.slot()));
      }
      Instant now = clock.instant();
      Executor.Execution execution = executor.start(job);
      live.put(t, execution);
      execution
          .onExit()
          .whenComplete(
              (result, error) ->
                  post(
                      new Event.Ended(
                          t,
                          job.attempt(),
                          result != null
                              ? result
                              : new JobResult(
                                  new Outcome.FailedToStart(String.valueOf(error)),
                                  now,
                                  clock.instant()))));
    }

    /** A job handed to the executor ahead of time. */
    private record Ahead(Job job, Executor.Queued execution) {}

    /**
     * Hands the executor the tasks that start next, a few per slot, so that each starts the moment
     * a running task ends. Only tasks whose dependencies' ends are committed, like an early start;
     * each is recorded as started when the executor says it started.
     */
    private void reserveAhead() {
      List<Integer> now =
          scheduler.reserve(
              Math.min(AHEAD_MAX, AHEAD_PER_AGENT * scheduler.agents()),
              t -> !notQueueable.get(t) && endsCommitted(t));
      for (int t : now) {
        Job job = job(t, ++attempts[t], 0);
        java.util.Optional<Executor.Queued> queued =
            executor.queue(job, (slot, at) -> post(new Event.Started(t, slot, at)));
        if (queued.isEmpty()) {
          // it cannot run, or not queued: the scheduler starts it when a slot is free
          attempts[t]--;
          notQueueable.set(t);
          scheduler.unreserve(t);
          continue;
        }
        Executor.Queued x = queued.get();
        ahead.put(t, new Ahead(job, x));
        x.onExit()
            .whenComplete(
                (result, error) ->
                    post(
                        error == null
                            ? new Event.Ended(t, job.attempt(), result)
                            : new Event.NotStarted(t)));
      }
      if (!now.isEmpty()) {
        executor.handOver();
      }
    }

    /** A task handed over ahead of time started: it runs, and is recorded like any start. */
    private void started(Event.Started e, List<Runnable> after) {
      int t = e.task();
      Ahead a = ahead.remove(t);
      scheduler.startReserved(t, e.slot());
      live.put(t, a.execution());
      Job job = a.job();
      recordStart(job, e.slot(), e.at());
      // told in turn order with the ends and notes before it (see launch)
      after.add(() -> listener.taskStarted(job.taskId(), job.attempt(), e.slot()));
      if (interrupts > 0) {
        // it started before its cancellation reached the executor
        after.add(() -> a.execution().terminate("interrupted"));
      }
    }

    /** A task handed over ahead of time never started (cancelled): it is ready again. */
    private void notStarted(int t) {
      ahead.remove(t);
      attempts[t]--;
      scheduler.unreserve(t);
    }

    /** Takes back every task handed over ahead of time that has not started. */
    private void cancelAhead() {
      ahead.values().forEach(a -> a.execution().cancel());
    }

    private Job job(int t, int attempt, int slot) {
      Task task = graph.task(t);
      String id = task.id();
      Path log = options.logDir().resolve(SafeNames.fileName(id) + "." + attempt + ".log");
      Map<String, String> env = new HashMap<>();
      env.put("BRAID_TASK_ID", id);
      env.put("BRAID_RUN_ID", runId);
      if (slot > 0) { // else the executor sets it where the job starts
        env.put("BRAID_SLOT", Integer.toString(slot));
      }
      env.put("BRAID_ATTEMPT", Integer.toString(attempt));
      env.put("BRAID_STATE_DIR", stateDir);
      return new Job(
          id,
          attempt,
          slot,
          options.commandOf().apply(task),
          options.workDir(),
          env,
          log,
          task.timeout(),
          options.idleTimeout(),
          line -> listener.taskOutput(id, line));
    }

    /**
     * The batch with each end before the starts of other tasks that came after it. braid-spawn
     * reports a queued task's start before the end of the task whose slot it took (so that the slot
     * is never seen free), and one batch often holds both: handled as they came, the console and
     * the audit trail would show the next task starting before the last one ended. Within one turn
     * the scheduler may see them either way (nothing is claimed between events). An end only moves
     * back past starts of other tasks, never past its own task's start or any other event, so a
     * clock set back cannot end a task before it started.
     */
    private static List<Event> inTimeOrder(List<Event> batch) {
      if (batch.size() == 1 && !(batch.getFirst() instanceof Event.Gathered)) {
        return batch;
      }
      List<Event> flat = new ArrayList<>(batch.size());
      for (Event e : batch) {
        if (e instanceof Event.Gathered g) {
          flat.addAll(g.events());
        } else {
          flat.add(e);
        }
      }
      List<Event> ordered = new ArrayList<>(flat.size());
      for (Event e : flat) {
        int at = ordered.size();
        if (e instanceof Event.Ended end) {
          Instant ended = end.result().ended();
          while (at > 0
              && ordered.get(at - 1) instanceof Event.Started s
              && s.task() != end.task()
              && !s.at().isBefore(ended)) {
            at--;
          }
        }
        ordered.add(at, e);
      }
      return ordered;
    }

    private void handle(Event event, List<Runnable> after) {
      switch (event) {
        case Event.Ended e -> ended(e, after);
        case Event.Started e -> started(e, after);
        case Event.NotStarted e -> notStarted(e.task());
        case Event.RetryDue r -> scheduler.retryReady(r.task());
        case Event.Wake w -> wakePending = false;
        case Event.Interrupt i -> interrupted(after);
        case Event.CheckpointEnded c -> checkpointEnded(c.ended(), after);
        case Event.Gathered g -> g.events().forEach(x -> handle(x, after)); // flattened before
      }
    }

    private void interrupted(List<Runnable> after) {
      interrupts++;
      scheduler.stop();
      cancelAhead();
      List<Executor.Execution> running = List.copyOf(live.values());
      if (checks != null) {
        boolean again = interrupts > 1;
        after.add(() -> checks.stop(again));
      }
      if (interrupts == 1) {
        stopReason = "interrupted";
        write(
            () ->
                store.appendEventData(
                    runId,
                    clock.instant(),
                    RUN_INTERRUPTED,
                    null,
                    Map.of("running", running.size())));
        after.add(
            () -> {
              listener.note(
                  "interrupted: stopping "
                      + Counts.count(running.size(), "running task")
                      + "; press Ctrl-C again to kill them at once");
              running.forEach(x -> x.terminate("interrupted"));
            });
      } else {
        after.add(
            () -> {
              listener.note("interrupted again: killing every task now");
              running.forEach(x -> x.kill("interrupted twice"));
            });
      }
    }

    private void ended(Event.Ended e, List<Runnable> after) {
      int t = e.task();
      live.remove(t);
      uncommitted.set(t);
      String id = graph.id(t);
      JobResult r = e.result();
      Instant at = r.ended();
      String why = r.describe();
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("attempt", e.attempt());
      data.put("outcome", why);
      data.put("seconds", r.duration().toMillis() / 1000.0);
      if (r.exitCode() != null) {
        data.put("exit_code", r.exitCode());
      }
      data.putAll(r.details());
      if (r.succeeded()) {
        scheduler.succeeded(t);
        if (checks != null) {
          checks.taskEnded(t, id, r);
        }
        recordEnd(id, e, r, TaskState.SUCCEEDED, null);
        write(() -> store.appendEventData(runId, at, TASK_SUCCEEDED, id, data));
        after.add(() -> listener.taskEnded(id, TaskState.SUCCEEDED, r, null));
        return;
      }
      if (r.stoppedByBraid() || interrupts > 0 || scheduler.stopped()) {
        // Stopped by us, not failed by itself: it runs again when the run is resumed.
        scheduler.retry(t, false);
        recordEnd(id, e, r, TaskState.PENDING, why);
        write(() -> store.appendEventData(runId, at, TASK_STOPPED, id, data));
        after.add(() -> listener.taskStopped(id, r, why));
        return;
      }
      int retries = graph.task(t).retries();
      // Attempts made before this run (or resumption) started count against no budget.
      int n = e.attempt() - before[t];
      if (n <= retries && r.retryable()) {
        Duration delay = options.retryBackoff().multipliedBy(1L << Math.min(10, n - 1));
        scheduler.retry(t, delay.isZero());
        String reason = why + "; retry " + n + "/" + retries + " in " + human(delay);
        recordEnd(id, e, r, TaskState.FAILED, why);
        write(() -> store.setTaskState(runId, id, TaskState.PENDING, reason));
        data.put("retry", n);
        data.put("delay_seconds", delay.toMillis() / 1000.0);
        write(() -> store.appendEventData(runId, at, TASK_RETRY, id, data));
        after.add(
            () -> {
              listener.taskEnded(id, TaskState.PENDING, r, reason);
              if (!delay.isZero()) {
                timers.schedule(
                    () -> post(new Event.RetryDue(t)), delay.toMillis(), TimeUnit.MILLISECONDS);
              }
            });
        return;
      }
      List<Integer> blocked = scheduler.failed(t);
      recordEnd(id, e, r, TaskState.FAILED, why);
      write(() -> store.appendEventData(runId, at, TASK_FAILED, id, data));
      if (checks != null) {
        checks.taskEnded(t, id, r);
        blocked.forEach(b -> checks.taskEnded(b, graph.id(b), r));
      }
      for (int b : blocked) {
        write(() -> store.setTaskState(runId, graph.id(b), TaskState.BLOCKED, "blocked by " + id));
        write(() -> store.appendEventData(runId, at, TASK_BLOCKED, graph.id(b), Map.of("by", id)));
      }
      after.add(
          () -> {
            listener.taskEnded(id, TaskState.FAILED, r, why);
            for (int b : blocked) {
              listener.taskBlocked(graph.id(b), id);
            }
          });
      if (r.outcome() instanceof Outcome.MergeConflict c && c.stopRun() && !scheduler.stopped()) {
        // --on-conflict stop: no new starts; running tasks finish and merge
        scheduler.stop();
        stopReason = "--on-conflict stop: " + id + ": " + why;
        String note = stopReason;
        after.add(() -> listener.note(note + "; letting running tasks finish"));
      }
      if (options.failFast()) {
        scheduler.stop();
        stopReason = "--fail-fast after " + id + " failed";
        List<Executor.Execution> running = List.copyOf(live.values());
        after.add(
            () -> {
              listener.note(
                  "--fail-fast: "
                      + id
                      + " failed; stopping "
                      + Counts.count(running.size(), "running task"));
              running.forEach(x -> x.terminate(stopReason));
            });
      }
    }

    private RunSummary finish() {
      Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
      for (TaskState s : TaskState.values()) {
        counts.put(s, 0);
      }
      boolean allDone = true;
      for (int t = 0; t < graph.size(); t++) {
        TaskState s = scheduler.state(t);
        counts.merge(s, 1, Integer::sum);
        allDone &= s.isDone();
      }
      // as a restored task counts: done by this run, now out of the graph (RunInfo.markedDone)
      counts.merge(TaskState.SUCCEEDED, info.markedDone(), Integer::sum);
      RunSummary.Status status =
          interrupts > 0
              ? RunSummary.Status.INTERRUPTED
              : allDone && !checkpointFailed
                  ? RunSummary.Status.SUCCEEDED
                  : RunSummary.Status.FAILED;
      Instant endedAt = clock.instant();
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("status", status.label());
      counts.forEach((s, c) -> data.put(s.label(), c));
      if (stopReason != null) {
        data.put("reason", stopReason);
      }
      store.transaction(
          () -> {
            store.appendEventData(runId, endedAt, RUN_FINISHED, null, data);
            store.finishRun(
                runId,
                switch (status) {
                  case SUCCEEDED -> RunStatus.SUCCEEDED;
                  case FAILED -> RunStatus.FAILED;
                  case INTERRUPTED -> RunStatus.INTERRUPTED;
                },
                endedAt);
          });
      RunSummary summary =
          new RunSummary(runId, status, Duration.between(startedAt, endedAt), counts);
      listener.runEnded(summary);
      return summary;
    }
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
