package dev.braid.run;

import dev.braid.agent.AgentReport;
import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Validator;
import dev.braid.git.Integration;
import dev.braid.manifest.Checkpoint;
import dev.braid.manifest.Counts;
import dev.braid.manifest.DoneTasks;
import dev.braid.manifest.ManifestWriter;
import dev.braid.manifest.Task;
import dev.braid.plan.Scheduler;
import dev.braid.plan.Simulator;
import dev.braid.plan.TaskGraph;
import dev.braid.store.RunLock;
import dev.braid.store.RunRecord;
import dev.braid.store.RunStatus;
import dev.braid.store.Store;
import dev.braid.store.TaskRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts or resumes a run of a plan: takes the state directory's lock, decides what is already
 * done, and drives the {@link Engine}. The one place where store, scheduler and executor meet.
 */
public final class RunService {

  /** Event types written here. */
  public static final String RUN_STARTED = "run.started";

  public static final String RUN_RESUMED = "run.resumed";

  /**
   * What the user asked for.
   *
   * @param maxLoad null for no limit
   * @param idleTimeout null for none
   * @param isolation how tasks are kept apart in git; null for {@link Isolation#DEFAULT}
   * @param agentWork the plan's agent tasks ({@link AgentWork#of}), or null when it has none
   * @param maxCostUsd stop starting tasks once the agents' reported cost reaches this; null for no
   *     budget
   * @param checkpoint the integration checkpoint; null for the plan's own (if any)
   * @param onCheckpointFail null for {@link Checkpoints.OnFail#STOP}
   * @param verbose {@code --verbose}: also says why tasks are not started by braid-spawn
   */
  public record Request(
      CheckedPlan plan,
      Path stateDir,
      Path workDir,
      int agents,
      boolean fresh,
      boolean failFast,
      Double maxLoad,
      Duration retryBackoff,
      Duration idleTimeout,
      Duration killGrace,
      Isolation isolation,
      AgentWork agentWork,
      Double maxCostUsd,
      Checkpoint checkpoint,
      Checkpoints.OnFail onCheckpointFail,
      boolean verbose) {

    public Request {
      if (agents < 1) {
        throw new IllegalArgumentException("agents must be at least 1, was " + agents);
      }
      // Absolute, so that a log, a prompt or a lock path means the same to the runner and to a
      // task that runs elsewhere: braid-spawn opens a task's log from the task's directory.
      stateDir = stateDir.toAbsolutePath().normalize();
      workDir = workDir.toAbsolutePath().normalize();
      isolation = isolation == null ? Isolation.DEFAULT : isolation;
      onCheckpointFail = onCheckpointFail == null ? Checkpoints.OnFail.STOP : onCheckpointFail;
      if (maxCostUsd != null && !(maxCostUsd > 0)) {
        throw new IllegalArgumentException("maxCostUsd must be positive, was " + maxCostUsd);
      }
    }
  }

  /** Why a run cannot start; the message is for the user. */
  public static final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
      super(message);
    }
  }

  /**
   * What happened: the engine's summary, or null when there was nothing to run; {@code notLanded}
   * when {@code --land} was asked, every task succeeded, and the work could not be landed.
   */
  public record Outcome(RunSummary summary, String runId, String nothingToDo, boolean notLanded) {}

  private final Clock clock;
  private final Function<Task, String> commandOf;

  public RunService(Clock clock) {
    this(clock, Task::command);
  }

  public RunService(Clock clock, Function<Task, String> commandOf) {
    this.clock = clock;
    this.commandOf = commandOf;
  }

  /**
   * Runs the plan to its end (or interruption). An unfinished earlier run of the same plan in the
   * same state directory is resumed unless {@code fresh}.
   *
   * @throws dev.braid.store.LockedException when another runner holds the state directory
   * @throws RefusedException when a task has nothing to run
   */
  public Outcome run(Request request, RunListener listener, SignalTrap signals)
      throws InterruptedException {
    CheckedPlan plan = request.plan();
    AgentWork agentWork = request.agentWork();
    requireSomethingToRun(plan, agentWork, commandOf);
    Hashing hashing = Hashing.start(plan.manifest().tasks(), plan.manifest().done());
    try {
      return run(request, listener, signals, plan, agentWork, hashing);
    } finally {
      hashing.await(); // milliseconds, also when the run could not start
    }
  }

  /**
   * Refuses a plan with a task that has nothing to run: the rule validation warns about, here with
   * no {@code --agent} or {@code --command} supplying what it lacks. Public for {@code --dry-run},
   * which must refuse what a run refuses.
   *
   * @param agentWork null without agents
   */
  public static void requireSomethingToRun(
      CheckedPlan plan, AgentWork agentWork, Function<Task, String> commandOf) {
    for (Task t : plan.manifest().tasks()) {
      if (agentWork != null && agentWork.profile(t.id()).isPresent()) {
        continue;
      }
      if (Validator.runsNothing(t.withCommand(commandOf.apply(t)))) {
        throw new RefusedException(Validator.nothingToRun(t.id()));
      }
    }
  }

  private Outcome run(
      Request request,
      RunListener listener,
      SignalTrap signals,
      CheckedPlan plan,
      AgentWork agentWork,
      Hashing hashing)
      throws InterruptedException {
    TaskGraph graph = TaskGraph.of(plan.manifest(), plan.conflicts());
    try {
      prepareStateDir(request.stateDir());
    } catch (IOException e) {
      throw new RefusedException(
          "cannot create the state directory " + request.stateDir() + ": " + why(e));
    }
    requireDistinctNames(plan, request.stateDir());
    Optional<GitRun> git =
        GitRun.open(request.isolation(), request.workDir(), plan.manifest().source(), listener);
    if (git.isEmpty() && request.onCheckpointFail() == Checkpoints.OnFail.REVERT) {
      throw new RefusedException(
          "--on-checkpoint-fail revert needs worktree isolation: it reverts merges on the run's"
              + " integration branch, and this run has none ("
              + (request.isolation().mode() == Isolation.Mode.NONE
                  ? "--isolation none"
                  : request.workDir() + " is not in a git repository with a commit")
              + "); use --on-checkpoint-fail stop or continue");
    }
    try (RunLock lock = Store.lock(request.stateDir());
        Store store = Store.open(request.stateDir())) {
      Path source = plan.manifest().source();
      String manifestPath = source.toAbsolutePath().normalize().toString();
      Map<String, String> hashes = hashing.join();
      Scheduler scheduler = new Scheduler(graph, request.agents());
      Map<String, Integer> attempts = new HashMap<>();
      List<String> notes = new ArrayList<>();
      String runId;
      int alreadyDone = 0;
      int markedDone = 0;
      boolean resumed = false;
      Optional<Integration> integration;
      // Everything the start records is one transaction, committed once the last refusal it can
      // meet (git's, at the integration branch and --stash) has passed: a refused start leaves no
      // run behind, or the run it would have resumed exactly as it was, not recorded as running in
      // a runner that is gone (which reads as crashed).
      store.begin();
      try {
        store.markCrashedRuns(lock, clock.instant());
        Optional<RunRecord> previous =
            request.fresh() ? Optional.empty() : store.latestRun(manifestPath);
        if (previous.isPresent()) {
          runId = previous.get().runId();
          store.recoverInterrupted(runId, clock.instant());
          // A runner killed outright leaves its tasks' processes running, including one it had
          // launched but not yet recorded (Engine): stop them before the tasks run again, or two
          // copies would work on the same files.
          int killed = LocalExecutor.killLeftovers(processTag(request.stateDir(), runId));
          if (killed > 0) {
            notes.add(
                "stopped "
                    + Counts.count(killed, "process", "processes")
                    + " left running by the crashed runner");
          }
          Resumption resumption =
              Resumption.read(store, runId, graph, hashes, plan.manifest().done().ids());
          notes.addAll(resumption.notes());
          attempts.putAll(resumption.attempts());
          resumption.done().forEach(scheduler::restore);
          alreadyDone = resumption.alreadyDone();
          markedDone = resumption.markedDone();
          List<TaskRecord> rows = resumption.rows();
          Map<String, Double> estimates = resumption.estimates();
          List<String> removed = resumption.removed();
          // Only a run that ended succeeded has nothing left: one killed or stopped after its last
          // task (during a checkpoint, before landing) or failed by a checkpoint still has its
          // checkpoint, landing and clean-up to do.
          // Nor one asked to --land what it has not landed yet (a run without --land, or one whose
          // landing was refused): that is the work the user asks for now.
          boolean toLand =
              git.isPresent() && request.isolation().land() && !git.get().landed(store, runId);
          if (resumption.nothingChanged(graph.size())
              && previous.get().status() == RunStatus.SUCCEEDED
              && !toLand) {
            store.commit(); // the crash marks and recovered tasks: true whatever runs next
            return new Outcome(
                null,
                runId,
                "every task of run "
                    + runId
                    + " already succeeded; nothing to do (--fresh runs the plan again)",
                false);
          }
          int done = alreadyDone + markedDone;
          store.transaction(
              () -> {
                store.putTasks(runId, rows, estimates);
                store.removeTasks(runId, removed, clock.instant());
                store.resumeRun(runId, ProcessHandle.current().pid());
                // Each session's agents, for the report's efficiency: a resumption may use others.
                store.appendEventData(
                    runId,
                    clock.instant(),
                    RUN_RESUMED,
                    null,
                    Map.of(
                        "pid",
                        ProcessHandle.current().pid(),
                        "already_done",
                        done,
                        "agents",
                        request.agents()));
              });
          resumed = true;
        } else {
          runId = store.newRunId(clock.instant());
          List<TaskRecord> rows = new ArrayList<>();
          Map<String, Double> estimates = new HashMap<>();
          for (int t = 0; t < graph.size(); t++) {
            rows.add(TaskRecord.pending(runId, graph.id(t), hashes.get(graph.id(t))));
            estimates.put(graph.id(t), graph.minutes(t));
          }
          // The plan's prediction as it is now: its file may change or go before the run is
          // reported, and a checklist's own done marks take tasks out of it.
          double predicted = Simulator.simulate(graph, request.agents()).makespanMinutes();
          double serialMinutes = graph.totalMinutes();
          double predictedSavings =
              serialMinutes == 0 ? 0 : 100.0 * (serialMinutes - predicted) / serialMinutes;
          Map<String, Object> options = new LinkedHashMap<>();
          options.put("agents", request.agents());
          options.put("fail_fast", request.failFast());
          options.put("work_dir", request.workDir().toString());
          if (request.agentWork() != null && request.agentWork().defaultAgent() != null) {
            options.put("agent", request.agentWork().defaultAgent());
          }
          store.transaction(
              () -> {
                store.createRun(
                    RunRecord.starting(
                        runId,
                        manifestPath,
                        fileHash(source),
                        request.agents(),
                        clock.instant(),
                        Store.toJson(options)));
                store.putTasks(runId, rows, estimates);
                store.recordPrediction(runId, predicted, predictedSavings);
                store.appendEventData(
                    runId,
                    clock.instant(),
                    RUN_STARTED,
                    null,
                    Map.of(
                        "pid",
                        ProcessHandle.current().pid(),
                        "tasks",
                        graph.size(),
                        "agents",
                        request.agents()));
              });
        }
        integration = git.map(g -> g.start(runId, request.stateDir(), store, clock, listener));
        store.commit();
      } catch (Throwable e) {
        store.rollback();
        throw e;
      }
      Path logDir = logDir(request.stateDir(), runId); // not before: a refusal leaves no directory
      Files.createDirectories(logDir);
      Engine engine = new Engine(clock);
      Function<Task, Command> what =
          t ->
              agentWork != null && agentWork.profile(t.id()).isPresent()
                  ? agentWork.command(t, promptFile(request.stateDir(), runId, t.id()))
                  : new Command.Shell(commandOf.apply(t));
      boolean agentTasks = agentWork != null && !agentWork.tasks().isEmpty();
      Budget budget =
          new Budget(
              request.maxCostUsd(),
              agentTasks ? AgentWork.reports(store, runId).values() : List.of(),
              engine);
      RunListener watched = agentTasks ? AgentWork.reporting(listener) : listener;
      RunInfo info =
          new RunInfo(
              runId, graph, request.agents(), request.stateDir(), resumed, alreadyDone, markedDone);
      notes.forEach(listener::note);
      SignalTrap.Registration trapped = signals.onInterrupt(engine::interrupt);
      LocalExecutor local =
          new LocalExecutor(processTag(request.stateDir(), runId), request.killGrace());
      if (request.verbose()) {
        local
            .whyNotSpawnHelper()
            .ifPresent(
                why -> listener.note("tasks are started by the JDK, not braid-spawn: " + why));
      }
      Executor processes =
          agentTasks ? agentWork.executor(local, r -> budget.add(r.costUsd())) : local;
      Executor isolated =
          git.<Executor>map(g -> g.wrap(processes, plan.manifest(), clock)).orElse(processes);
      Checkpoint checkpoint =
          request.checkpoint() != null ? request.checkpoint() : plan.manifest().checkpoint();
      Checkpoints checkpoints =
          checkpoint == null
              ? null
              : new Checkpoints(
                  checkpoint,
                  request.onCheckpointFail(),
                  integration
                      .map(Checkpoints.Place::integration)
                      .orElseGet(() -> Checkpoints.Place.workDir(request.workDir())),
                  local,
                  logDir.resolveSibling("checkpoints"),
                  graph,
                  request.agents(),
                  t -> scheduler.state(t).isDone(),
                  resumed ? Checkpoints.Earlier.of(store, runId) : Checkpoints.Earlier.NONE,
                  clock);
      try (Executor executor = agentTasks ? agentWork.recordingCommits(isolated) : isolated) {
        budget.check();
        RunSummary summary =
            engine.run(
                info,
                scheduler,
                attempts,
                store,
                executor,
                new Engine.Options(
                    request.failFast(),
                    request.maxLoad(),
                    request.retryBackoff(),
                    request.idleTimeout(),
                    request.workDir(),
                    logDir,
                    what,
                    checkpoints),
                watched);
        boolean notLanded = git.map(g -> g.finish(summary, store, clock, listener)).orElse(false);
        return new Outcome(summary, runId, null, notLanded);
      } finally {
        trapped.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code --max-cost}: stops starting tasks once the agents' reported cost reaches it. */
  private static final class Budget {
    private final Double max;
    private final Engine engine;
    private double spent;

    /** {@code before}: what the agents of this run reported in its earlier sessions. */
    Budget(Double max, java.util.Collection<AgentReport> before, Engine engine) {
      this.max = max;
      this.engine = engine;
      for (AgentReport r : before) {
        spent += r.costUsd() == null ? 0 : r.costUsd();
      }
    }

    /** Called on executor threads as agents end. */
    synchronized void add(Double cost) {
      if (cost != null && cost > 0) {
        spent += cost;
        check();
      }
    }

    synchronized void check() {
      if (max != null && spent >= max) {
        engine.stopStarting(
            "--max-cost "
                + AgentWork.dollars(max)
                + " reached ("
                + AgentWork.dollars(spent)
                + " reported by the agents)");
      }
    }
  }

  /** Marks the processes of one run of one state directory. */
  private static String processTag(Path stateDir, String runId) {
    return "braid:"
        + sha256(stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8))
        + ":"
        + runId;
  }

  /** Where a run's task logs are: {@code STATE/runs/RUN/logs/TASK.ATTEMPT.log}. */
  public static Path logDir(Path stateDir, String runId) {
    return stateDir.resolve("runs").resolve(SafeNames.fileName(runId)).resolve("logs");
  }

  /** The log of one attempt of a task. */
  public static Path logFile(Path stateDir, String runId, String taskId, int attempt) {
    return logDir(stateDir, runId).resolve(SafeNames.fileName(taskId) + "." + attempt + ".log");
  }

  /** Where an agent task's prompt is written: {@code STATE/runs/RUN/prompts/TASK.md}. */
  public static Path promptFile(Path stateDir, String runId, String taskId) {
    return logDir(stateDir, runId)
        .resolveSibling("prompts")
        .resolve(SafeNames.fileName(taskId) + ".md");
  }

  /**
   * What {@code braid run} would resume: the plan's latest run in {@code stateDir} and what
   * resuming it with the plan as it is now means. Empty when the run would start afresh. Reads
   * only.
   *
   * @param nothingToDo every task already succeeded and the run ended so: a run would do nothing
   * @param toLand {@code --land} would land the run's work, which is not on its branch yet
   */
  public record Resume(String runId, Resumption resumption, boolean nothingToDo, boolean toLand) {}

  /**
   * For {@code --dry-run}: {@link Resume}, or empty without a run to resume ({@code fresh}). A run
   * that succeeded has something to do when {@code isolation} asks to land work not landed yet.
   */
  public static Optional<Resume> wouldResume(
      CheckedPlan plan, Path stateDir, Path workDir, boolean fresh, Isolation isolation) {
    if (fresh || !Files.isRegularFile(stateDir.resolve(Store.DB_FILE))) {
      return Optional.empty();
    }
    String manifestPath = plan.manifest().source().toAbsolutePath().normalize().toString();
    try (Store store = Store.openReadOnly(stateDir)) {
      Optional<RunRecord> previous = store.latestRun(manifestPath);
      if (previous.isEmpty()) {
        return Optional.empty();
      }
      String runId = previous.get().runId();
      TaskGraph graph = TaskGraph.of(plan.manifest(), plan.conflicts());
      Map<String, String> hashes =
          Hashing.start(plan.manifest().tasks(), plan.manifest().done()).join();
      Resumption r = Resumption.read(store, runId, graph, hashes, plan.manifest().done().ids());
      boolean toLand = GitRun.wouldLand(isolation, workDir, store, runId);
      boolean nothing =
          r.nothingChanged(graph.size())
              && previous.get().status() == RunStatus.SUCCEEDED
              && !toLand;
      return Optional.of(new Resume(runId, r, nothing, toLand));
    }
  }

  /**
   * Refuses ids that differ only in case ({@link Validator#caseTwins}) where the state directory's
   * file system ignores case: the twins' logs, prompts and worktrees would be one (validation warns
   * about them everywhere).
   */
  private static void requireDistinctNames(CheckedPlan plan, Path stateDir) {
    Map<String, String> twins = Validator.caseTwins(plan.manifest().tasks());
    if (twins.isEmpty() || !ignoresCase(stateDir)) {
      return;
    }
    Map.Entry<String, String> twin = twins.entrySet().iterator().next();
    throw new RefusedException(
        "tasks '"
            + twin.getValue()
            + "' and '"
            + twin.getKey()
            + "' differ only in case, and "
            + stateDir
            + " is on a file system that ignores case: their logs, branches and worktrees would be"
            + " the same; rename one of them");
  }

  /**
   * Whether {@code dir}'s file system ignores case: a new file is found under its upper-case name.
   */
  public static boolean ignoresCase(Path dir) {
    try {
      Path probe = Files.createTempFile(dir, "case-probe-", ".tmp");
      try {
        String upper = probe.getFileName().toString().toUpperCase(java.util.Locale.ROOT);
        return Files.exists(dir.resolve(upper));
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException e) {
      return false; // cannot tell; the run's own writes will say what is wrong with the directory
    }
  }

  /** What went wrong with a path, in words: these exceptions' messages are just the path. */
  private static String why(IOException e) {
    return switch (e) {
      case java.nio.file.FileAlreadyExistsException f ->
          f.getFile() + " exists and is not a directory";
      case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
      case java.nio.file.FileSystemException f when f.getReason() != null ->
          f.getFile() + ": " + f.getReason();
      default -> e.getMessage();
    };
  }

  /** Creates the state directory with a .gitignore, so git never sees Braid's state. */
  private static void prepareStateDir(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    Path ignore = stateDir.resolve(".gitignore");
    if (!Files.exists(ignore)) {
      Files.writeString(ignore, "# Braid's state; never committed\n*\n", StandardCharsets.UTF_8);
    }
  }

  /** Changes whenever anything that affects what the task does changes. */
  static String definitionHash(Task task) {
    return definitionHash(task, sha256());
  }

  private static String definitionHash(Task task, MessageDigest sha) {
    return hex(sha.digest(ManifestWriter.taskJson(task).getBytes(StandardCharsets.UTF_8)));
  }

  /** Every task's {@link #definitionHash} by id. */
  static Map<String, String> definitionHashes(List<Task> tasks) {
    return Hashing.start(tasks, DoneTasks.NONE).join();
  }

  /**
   * The tasks' definition hashes, computed on threads of their own while the run takes its lock and
   * opens the store (a core that is idle by then; ~10 ms for 200 tasks), on two from 500 tasks.
   */
  static final class Hashing {
    private final List<Task> tasks;
    private final DoneTasks done;
    private final String[] hashes;
    private final List<Thread> threads = new ArrayList<>();
    private volatile RuntimeException failure;
    private Map<String, String> byId;

    private Hashing(List<Task> tasks, DoneTasks done) {
      this.tasks = tasks;
      this.done = done;
      this.hashes = new String[tasks.size()];
    }

    /**
     * Hashes each task as its file writes it ({@link DoneTasks#asWritten}), so that the done marks
     * Braid writes back do not count as changes to the tasks after them.
     */
    static Hashing start(List<Task> tasks, DoneTasks done) {
      Hashing h = new Hashing(tasks, done);
      int n = tasks.size();
      int half = n < PARALLEL_HASHING ? 0 : n / 2;
      if (half > 0) {
        h.threads.add(Thread.ofPlatform().name("braid-hash").start(() -> h.hash(0, half)));
      }
      if (n > half) {
        h.threads.add(Thread.ofPlatform().name("braid-hash").start(() -> h.hash(half, n)));
      }
      return h;
    }

    private void hash(int from, int to) {
      try {
        RunService.hash(tasks, done, hashes, from, to);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    /** The hashes by task id, once the threads are done; what failed them, rethrown. */
    Map<String, String> join() {
      if (byId != null) {
        return byId;
      }
      await();
      if (failure != null) {
        throw failure;
      }
      Map<String, String> map = new HashMap<>();
      for (int i = 0; i < hashes.length; i++) {
        map.put(tasks.get(i).id(), hashes[i]);
      }
      byId = map;
      return map;
    }

    /** Waits for the threads, also when interrupted (milliseconds; the run sees it next). */
    void await() {
      boolean interrupted = false;
      for (Thread t : threads) {
        while (true) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true; // the run sees the interrupt next
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void hash(List<Task> tasks, DoneTasks done, String[] into, int from, int to) {
    MessageDigest sha = sha256(); // looked up once: per task it was a quarter of the time
    for (int i = from; i < to; i++) {
      into[i] = definitionHash(done.asWritten(tasks.get(i)), sha);
    }
  }

  /** Below this many tasks, one thread hashes them sooner than two get going. */
  private static final int PARALLEL_HASHING = 500;

  private static String fileHash(Path file) {
    try {
      return sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /**
   * Initializes the security providers behind SHA-256 ahead of a first run, for a start-up thread:
   * ~6 ms of a start.
   */
  public static void preload() {
    sha256(new byte[0]);
  }

  private static String sha256(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first 12 bytes of a digest, in hex. */
  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest, 0, 12);
  }
}
