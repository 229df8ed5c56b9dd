package dev.braid.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.git.GitException;
import dev.braid.git.Integration;
import dev.braid.git.RevertResult;
import dev.braid.manifest.Checkpoint;
import dev.braid.manifest.Counts;
import dev.braid.manifest.Durations;
import dev.braid.plan.Group;
import dev.braid.plan.TaskGraph;
import dev.braid.plan.Waves;
import dev.braid.store.EventRecord;
import dev.braid.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A run's integration checkpoints: the plan's {@code checkpoint} command, run on the integration
 * branch after each wave, after every merge, every N merges, or at the end.
 *
 * <p>Owned by the engine's thread, which tells it what ended and asks it when a checkpoint is due;
 * the command runs on its own virtual thread through the same {@link Executor} as tasks (log file,
 * tree kill), and its end comes back to the engine through {@code done}. Checkpoints never run side
 * by side: one that falls due while another runs starts after it, covering every merge since.
 */
public final class Checkpoints {

  /** Event types written here. */
  public static final String STARTED = "checkpoint.started";

  public static final String PASSED = "checkpoint.passed";
  public static final String FAILED = "checkpoint.failed";
  public static final String STOPPED = "checkpoint.stopped";
  public static final String REVERTED = "checkpoint.reverted";
  public static final String NOT_REVERTED = "checkpoint.not_reverted";

  /** {@code --on-checkpoint-fail}: what a failed checkpoint does to the run. */
  public enum OnFail {
    /** No new task starts; running ones finish; the run ends failed. */
    STOP,
    /** Reported; the run goes on. */
    CONTINUE,
    /**
     * The culprit's merge (and the merges of the tasks built on it) is reverted on the integration
     * branch, those tasks fail, and the run goes on once the checkpoint passes again; when it
     * cannot (no culprit, a conflicting revert, still failing), as {@link #STOP}. Needs git
     * isolation.
     */
    REVERT
  }

  /** Where checkpoints run. */
  interface Place {
    /** The commit the next checkpoint checks, read on the engine's thread; null without git. */
    String commit();

    /**
     * The directory to run in, with {@code commit} checked out; called on the checkpoint's thread.
     */
    Path prepare(String commit);

    /** Whether tasks must not run while a checkpoint does (they share the directory). */
    boolean exclusive();

    /** The merge commits after {@code good} up to {@code bad}, oldest first; empty without git. */
    default List<String> mergesBetween(String good, String bad) {
      return List.of();
    }

    /** Prepares commits undoing {@code changes} in order; see {@link Integration#prepareRevert}. */
    default RevertResult prepareRevert(List<Integration.Change> changes) {
      throw new IllegalStateException("no integration branch to revert merges on");
    }

    /** Moves the integration branch to a prepared revert; see {@link Integration#advance}. */
    default void advance(String from, String to, String why) {
      throw new IllegalStateException("no integration branch to revert merges on");
    }

    /** In the work directory itself: {@code --isolation none}. */
    static Place workDir(Path dir) {
      return new Place() {
        @Override
        public String commit() {
          return null;
        }

        @Override
        public Path prepare(String commit) {
          return dir;
        }

        @Override
        public boolean exclusive() {
          return true;
        }
      };
    }

    /** In a detached worktree of the integration branch's head. */
    static Place integration(Integration integration) {
      return new Place() {
        @Override
        public String commit() {
          return integration.head();
        }

        @Override
        public Path prepare(String commit) {
          return integration.detached("checkpoint", commit);
        }

        @Override
        public boolean exclusive() {
          return false;
        }

        @Override
        public List<String> mergesBetween(String good, String bad) {
          return integration.mergesBetween(good, bad);
        }

        @Override
        public RevertResult prepareRevert(List<Integration.Change> changes) {
          return integration.prepareRevert(changes);
        }

        @Override
        public void advance(String from, String to, String why) {
          integration.advance(from, to, why);
        }
      };
    }
  }

  /**
   * How one checkpoint ended, as it comes back to the engine.
   *
   * @param culprit the first merge commit on which the command fails, found by bisecting the merges
   *     since the last passing checkpoint; null when it passed or there was nothing to bisect
   * @param bisectRuns how many more times the command ran to find it
   */
  record Ended(int number, JobResult result, String culprit, int bisectRuns) {}

  /** What the engine does about a checkpoint that ended. */
  enum Verdict {
    /** Passed, or stopped because the run is stopping: nothing to do. */
    PASSED,
    /** No more starts; {@link #stopReason} says why. */
    FAILED_STOP,
    FAILED_CONTINUE,
    /**
     * Starts are held until the engine, once no task runs, has made the revert ({@link #revertDue},
     * {@link #prepareRevert}) and the checkpoint has passed again.
     */
    FAILED_REVERT
  }

  private final Checkpoint spec;
  private final OnFail onFail;
  private final Place place;
  private final Executor executor;
  private final Path logDir;
  private final Clock clock;
  private final int[] waveOf;
  private final int[] left;

  /** Whether a wave had tasks to run in this session (not all restored as done). */
  private final boolean[] worked;

  private int wavesDone;
  // the first wave (1-based, as braid plan numbers them) no started checkpoint has covered
  private int firstUnchecked;
  private final List<String> merged = new ArrayList<>();
  private Consumer<Ended> done = e -> {};
  private String due;
  private Running running;
  private int number;
  private boolean endChecked;
  private boolean stopped;
  private String lastPassed;
  private boolean lastFailed;
  // whether a checkpoint of this session passed on lastPassed (else it is assumed to)
  private boolean lastPassedSeen;
  private final SessionMerges merges;
  private Reverting reverting;
  private String stopWhy;
  // shared with the checkpoint's thread, under this object's lock
  private Executor.Execution execution;
  private String stopping;

  /** The checkpoint in progress, as the engine's thread knows it. */
  private record Running(int number, String after, String commit, List<String> covers, Path log) {}

  /**
   * A failed checkpoint answered by a revert, from its failure until the check after the revert
   * ends: {@code ready} once made, {@code applied} once the branch moved, {@code recheck} the
   * number of the check after it once started.
   */
  private record Reverting(
      int checkpoint,
      String task,
      String commit,
      Path log,
      SessionMerges.Revert.Ready ready,
      boolean applied,
      int recheck) {

    Reverting with(SessionMerges.Revert.Ready r) {
      return new Reverting(checkpoint, task, commit, log, r, applied, recheck);
    }

    Reverting branchMoved() {
      return new Reverting(checkpoint, task, commit, log, ready, true, recheck);
    }

    Reverting rechecking(int n) {
      return new Reverting(checkpoint, task, commit, log, ready, applied, n);
    }
  }

  /**
   * What the earlier sessions of a resumed run left to this one.
   *
   * @param lastNumber the highest checkpoint number recorded: this session counts on from it, so a
   *     log ({@code N.log}) is never written over
   * @param unchecked the tasks merged since the last passing checkpoint, and those a checkpoint
   *     that did not pass (failed, or cut short by a crash or Ctrl-C) covered
   * @param due whether the integration work holds anything no checkpoint passed on
   */
  record Earlier(int lastNumber, List<String> unchecked, boolean due) {

    static final Earlier NONE = new Earlier(0, List.of(), false);

    Earlier {
      unchecked = List.copyOf(unchecked);
    }

    /** From the run's events: its checkpoints and its tasks' merges, in order. */
    static Earlier of(Store store, String runId) {
      int last = 0;
      Set<String> unchecked = new LinkedHashSet<>();
      boolean due = false;
      for (EventRecord e : store.events(runId, List.of(Engine.TASK_SUCCEEDED, STARTED, PASSED))) {
        JsonNode d = read(e.dataJson());
        switch (e.type()) {
          case Engine.TASK_SUCCEEDED -> {
            JsonNode git = d.path("git");
            // as merged() says: a task that changed nothing merged nothing
            if (!git.isObject() || "merged".equals(git.path("merge").asText())) {
              unchecked.add(e.taskId());
              due = true;
            }
          }
          case STARTED -> {
            last = Math.max(last, d.path("number").asInt());
            d.path("covers").forEach(t -> unchecked.add(t.asText()));
            due = true;
          }
          default -> { // passed: everything merged before it was on the commit it checked
            unchecked.clear();
            due = false;
          }
        }
      }
      return new Earlier(last, List.copyOf(unchecked), due);
    }

    private static JsonNode read(String json) {
      try {
        return json == null ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(json);
      } catch (java.io.IOException e) {
        return Json.MAPPER.nullNode();
      }
    }

    /** Created on first use: only a resumed run reads its events. */
    private static final class Json {
      static final ObjectMapper MAPPER = new ObjectMapper();
    }
  }

  /**
   * @param done restored tasks (already done before this session): their waves are not checked
   *     again
   * @param earlier what the run's earlier sessions left unchecked; {@link Earlier#NONE} for a new
   *     run
   */
  Checkpoints(
      Checkpoint spec,
      OnFail onFail,
      Place place,
      Executor executor,
      Path logDir,
      TaskGraph graph,
      int agents,
      java.util.function.IntPredicate done,
      Earlier earlier,
      Clock clock) {
    this.spec = spec;
    this.onFail = onFail;
    this.place = place;
    this.executor = executor;
    this.logDir = logDir;
    this.clock = clock;
    this.merges = new SessionMerges(graph, place);
    List<Group> waves = Waves.of(graph, agents);
    this.waveOf = new int[graph.size()];
    this.left = new int[waves.size()];
    this.worked = new boolean[waves.size()];
    for (int w = 0; w < waves.size(); w++) {
      for (int t : waves.get(w).tasks()) {
        waveOf[t] = w;
        if (!done.test(t)) {
          left[w]++;
          worked[w] = true;
        }
      }
    }
    while (wavesDone < left.length && left[wavesDone] == 0) {
      wavesDone++;
    }
    this.firstUnchecked = wavesDone + 1;
    // before any task of this session merged: what bisection assumes was good
    this.lastPassed = place.commit();
    this.number = earlier.lastNumber();
    // Merges of a session that ended (killed, stopped, or failed by a checkpoint) before a
    // checkpoint passed on them are checked first: else a resumed run with nothing left to run,
    // or only tasks that merge nothing, would end succeeded on work no checkpoint passed.
    this.merged.addAll(earlier.unchecked());
    if (earlier.due() && !(spec.after() instanceof Checkpoint.After.End)) {
      this.due = "resumption";
    }
  }

  /**
   * "wave 3", "waves 2-4" or "waves 2, 5": the waves from {@code first} to {@code last} (numbered
   * from 1) that had tasks in this session; a resumed run's waves whose tasks were all done before
   * are not named, as nothing of theirs is checked now.
   */
  private String wavesLabel(int first, int last) {
    List<int[]> ranges = new ArrayList<>();
    for (int w = first; w <= last; w++) {
      if (!worked[w - 1]) {
        continue;
      }
      int[] r = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (r != null && r[1] == w - 1) {
        r[1] = w;
      } else {
        ranges.add(new int[] {w, w});
      }
    }
    if (ranges.isEmpty()) {
      ranges.add(new int[] {Math.min(first, last), last});
    }
    if (ranges.size() == 1 && ranges.get(0)[0] == ranges.get(0)[1]) {
      return "wave " + ranges.get(0)[0];
    }
    StringBuilder b = new StringBuilder("waves ");
    for (int i = 0; i < ranges.size(); i++) {
      int[] r = ranges.get(i);
      b.append(i == 0 ? "" : ", ").append(r[0]);
      if (r[1] > r[0]) {
        b.append('-').append(r[1]);
      }
    }
    return b.toString();
  }

  /** Where the engine's queue takes checkpoint ends. */
  void onEnd(Consumer<Ended> done) {
    this.done = done;
  }

  /**
   * A task reached a final state (succeeded, failed or blocked); {@code merged} when its work
   * entered the integration branch (without isolation: when it succeeded).
   */
  void taskEnded(int task, String taskId, JobResult result) {
    boolean merged = merged(result);
    merges.taskEnded(task, taskId, result, merged);
    if (merged) {
      this.merged.add(taskId);
    }
    ended(task, taskId, merged);
  }

  /** A task was blocked: it counts as ended for its wave. */
  void taskBlocked(int task, String taskId) {
    ended(task, taskId, false);
  }

  private void ended(int task, String taskId, boolean merged) {
    switch (spec.after()) {
      case Checkpoint.After.Each e -> {
        if (merged) {
          due = "merge of " + taskId;
        }
      }
      case Checkpoint.After.EveryMerges n -> {
        if (this.merged.size() >= n.merges()) {
          due = merges(this.merged.size());
        }
      }
      case Checkpoint.After.Wave w -> {
        left[waveOf[task]]--;
        int before = wavesDone;
        while (wavesDone < left.length && left[wavesDone] == 0) {
          wavesDone++;
        }
        // a wave whose tasks merged nothing (all failed or blocked) leaves nothing new to check;
        // its number joins the label of the next checkpoint that does run
        if (wavesDone > before && !this.merged.isEmpty()) {
          due = wavesLabel(firstUnchecked, wavesDone);
        }
      }
      case Checkpoint.After.End e -> {}
    }
    if (stopped) {
      due = null;
    }
  }

  /**
   * Every task has ended (or no more will start) and none runs: the last checkpoint falls due if
   * merges since the previous one are unchecked ({@code after: N}) or it is {@code after: end}.
   */
  void runEnding() {
    if (endChecked || stopped || reverting != null) {
      return;
    }
    endChecked = true;
    switch (spec.after()) {
      case Checkpoint.After.End e -> {
        // nothing merged (every task failed, or changed nothing): the branch is as it started
        if (!merged.isEmpty()) {
          due = "end";
        }
      }
      case Checkpoint.After.EveryMerges n -> {
        if (!merged.isEmpty()) {
          due = "end (" + merges(merged.size()) + ")";
        }
      }
      case Checkpoint.After.Each e -> {}
      case Checkpoint.After.Wave w -> {}
    }
  }

  /**
   * Whether new task starts wait: without isolation, while a checkpoint is due or runs; with {@code
   * revert}, from a failure until the checkpoint passes again.
   */
  boolean holdsStarts() {
    return reverting != null || place.exclusive() && (due != null || running != null);
  }

  /** Whether a checkpoint is due or runs, or a revert is under way: the run does not end yet. */
  boolean busy() {
    return due != null || running != null || reverting != null;
  }

  /**
   * Starts the due checkpoint if it may start now: none runs, and without isolation no task runs.
   * Records it as started; the process starts from {@code after}.
   */
  void startIfDue(
      boolean tasksRunning,
      Store store,
      String runId,
      Map<String, String> env,
      RunListener listener,
      List<Runnable> after) {
    if (reverting != null && !reverting.applied()) {
      return; // the check after the revert comes first
    }
    if (due == null || running != null || (place.exclusive() && tasksRunning)) {
      return;
    }
    int n = ++number;
    String commit = place.commit();
    List<String> covers = List.copyOf(merged);
    merged.clear();
    Path log = logDir.resolve(n + ".log");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("number", n);
    data.put("after", due);
    data.put("command", spec.command());
    if (commit != null) {
      data.put("commit", commit);
    }
    data.put("covers", covers);
    data.put("log", log.toString());
    store.appendEventData(runId, clock.instant(), STARTED, null, data);
    String why = due;
    due = null;
    firstUnchecked = wavesDone + 1;
    if (reverting != null) {
      reverting = reverting.rechecking(n);
    }
    Map<String, String> vars = new HashMap<>(env);
    vars.put("BRAID_CHECKPOINT", Integer.toString(n));
    // after a failed one, the break may be older than these merges: no bisection
    String good = lastFailed ? null : lastPassed;
    // a revert must not hit an innocent merge when the run started from an already broken commit
    boolean verifyGood = onFail == OnFail.REVERT && !lastPassedSeen;
    running = new Running(n, why, commit, covers, log);
    after.add(
        () -> {
          listener.note(
              "checkpoint "
                  + n
                  + " ("
                  + label(why)
                  + ")"
                  + (commit == null ? "" : " on " + shortSha(commit)));
          Thread.ofVirtual()
              .name("braid-checkpoint-" + n)
              .start(() -> run(n, commit, good, verifyGood, log, vars));
        });
  }

  /**
   * On the checkpoint's thread: checks out the commit, runs the command, and when it fails bisects
   * the merges since {@code good} (first checking that {@code good} passes, if {@code verifyGood});
   * reports the end.
   */
  private void run(
      int n, String commit, String good, boolean verifyGood, Path log, Map<String, String> env) {
    JobResult result = check(n, commit, log, env);
    String culprit = null;
    int runs = 0;
    List<String> merges =
        result.succeeded() || result.stoppedByBraid() || commit == null || good == null
            ? List.of()
            : place.mergesBetween(good, commit);
    if (!merges.isEmpty() && verifyGood) {
      runs++;
      Map<String, String> vars = new HashMap<>(env);
      vars.put("BRAID_BISECT", good);
      if (!check(n, good, logDir.resolve(n + ".bisect-" + runs + ".log"), vars).succeeded()) {
        merges = List.of(); // broken before these merges: none of them is the culprit
      }
    }
    if (merges.size() == 1) {
      culprit = merges.get(0);
    } else if (merges.size() > 1) {
      // merges[hi] fails; before merges[lo + 1] (lo = -1: good) passes
      int lo = -1;
      int hi = merges.size() - 1;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        runs++;
        Path bisectLog = logDir.resolve(n + ".bisect-" + runs + ".log");
        Map<String, String> vars = new HashMap<>(env);
        vars.put("BRAID_BISECT", merges.get(mid));
        JobResult r = check(n, merges.get(mid), bisectLog, vars);
        if (r.stoppedByBraid()) {
          break;
        }
        if (r.succeeded()) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      if (hi - lo == 1) {
        culprit = merges.get(hi);
      }
    }
    done.accept(new Ended(n, result, culprit, runs));
  }

  /** Runs the command once on {@code commit}. */
  private JobResult check(int n, String commit, Path log, Map<String, String> env) {
    Instant started = clock.instant();
    JobResult result;
    synchronized (this) {
      if (stopping != null) {
        return new JobResult(new Outcome.Killed(stopping), started, started);
      }
    }
    try {
      java.nio.file.Files.createDirectories(logDir);
      // Always there, even empty: the report and the notes of a failure point to it (a task's
      // log is created by its first output).
      java.nio.file.Files.newOutputStream(
              log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
          .close();
      Path dir = place.prepare(commit);
      Job job =
          new Job(
              "checkpoint",
              n,
              0,
              new Command.Shell(spec.command()),
              dir,
              env,
              log,
              null,
              null,
              line -> {});
      Executor.Execution x = executor.start(job);
      synchronized (this) {
        execution = x;
        if (stopping != null) {
          x.terminate(stopping);
        }
      }
      result = x.onExit().get();
    } catch (ExecutionException e) {
      result = failedToStart(started, String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      result = new JobResult(new Outcome.Killed("interrupted"), started, clock.instant());
    } catch (RuntimeException | java.io.IOException e) {
      result = failedToStart(started, e.getMessage());
    } finally {
      synchronized (this) {
        execution = null;
      }
    }
    return result;
  }

  private JobResult failedToStart(Instant started, String why) {
    return new JobResult(new Outcome.FailedToStart(why), started, clock.instant());
  }

  /** The run is interrupted: nothing more is started, and the running checkpoint is stopped. */
  void stop(boolean kill) {
    due = null;
    stopped = true;
    reverting = null;
    Executor.Execution x;
    synchronized (this) {
      stopping = "interrupted";
      x = execution;
    }
    if (x != null) {
      if (kill) {
        x.kill("interrupted");
      } else {
        x.terminate("interrupted");
      }
    }
  }

  /** Records how a checkpoint ended; says what the run does about it. */
  Verdict ended(Ended e, Store store, String runId, RunListener listener, List<Runnable> after) {
    Running r = running;
    running = null;
    JobResult result = e.result();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("number", r.number());
    data.put("after", r.after());
    if (r.commit() != null) {
      data.put("commit", r.commit());
    }
    data.put("covers", r.covers());
    data.put("outcome", result.describe());
    data.put("seconds", result.duration().toMillis() / 1000.0);
    if (result.exitCode() != null) {
      data.put("exit_code", result.exitCode());
    }
    data.put("log", r.log().toString());
    String took = Durations.human(result.duration());
    boolean recheck = reverting != null && reverting.recheck() == r.number();
    if (result.succeeded()) {
      lastPassed = r.commit();
      lastPassedSeen = true;
      lastFailed = false;
      store.appendEventData(runId, result.ended(), PASSED, null, data);
      after.add(() -> listener.note("checkpoint " + r.number() + " passed (" + took + ")"));
      if (recheck) {
        String task = reverting.task();
        reverting = null;
        after.add(
            () ->
                listener.note(
                    "the checkpoint passes without " + task + "'s change: starting tasks again"));
      }
      return Verdict.PASSED;
    }
    if (result.stoppedByBraid()) {
      // the run is stopping: neither passed nor failed
      store.appendEventData(runId, result.ended(), STOPPED, null, data);
      after.add(() -> listener.note("checkpoint " + r.number() + " stopped (" + took + ")"));
      return Verdict.PASSED;
    }
    if (lastPassed != null) {
      data.put("last_passed", lastPassed);
    }
    String culprit = e.culprit() == null ? null : merges.taskOf(e.culprit());
    if (e.culprit() != null) {
      data.put("culprit_commit", e.culprit());
      if (culprit != null) {
        data.put("culprit_task", culprit);
      }
      data.put("bisect_runs", e.bisectRuns());
    }
    lastFailed = true;
    data.put("on_fail", onFail.name().toLowerCase(java.util.Locale.ROOT));
    store.appendEventData(runId, result.ended(), FAILED, null, data);
    String what =
        "checkpoint "
            + r.number()
            + " ("
            + label(r.after())
            + ") failed: "
            + result.describe()
            + (culprit != null
                ? "; broken by the merge of " + culprit
                : r.covers().isEmpty() ? "" : "; it covers " + String.join(", ", r.covers()))
            + "; log: "
            + r.log();
    after.add(() -> listener.note(what));
    stopWhy =
        "checkpoint "
            + r.number()
            + " failed: "
            + result.describe()
            + (culprit == null ? "" : "; broken by the merge of " + culprit);
    switch (onFail) {
      case STOP -> {}
      case CONTINUE -> {
        return Verdict.FAILED_CONTINUE;
      }
      case REVERT -> {
        String cannot =
            recheck
                ? "it still fails after reverting " + reverting.task()
                : culprit == null
                    ? "no merge could be named as the culprit"
                        + (e.culprit() == null ? "" : " (" + shortSha(e.culprit()) + ")")
                    : stopped ? "the run is stopping" : null;
        if (cannot == null) {
          reverting = new Reverting(r.number(), culprit, e.culprit(), r.log(), null, false, 0);
          after.add(
              () ->
                  listener.note(
                      "--on-checkpoint-fail revert: starting no more tasks; once none runs, the"
                          + " merge of "
                          + culprit
                          + " is reverted and the checkpoint runs again"));
          return Verdict.FAILED_REVERT;
        }
        reverting = null;
        stopWhy += "; not reverted: " + cannot;
        after.add(() -> listener.note("--on-checkpoint-fail revert: " + cannot + "; stopping"));
      }
    }
    stopped = true;
    due = null;
    return Verdict.FAILED_STOP;
  }

  /** The reason the run stops after a checkpoint failed ({@link Verdict#FAILED_STOP}). */
  String stopReason() {
    return stopWhy;
  }

  /** Whether a revert waits to be made: the engine calls {@link #prepareRevert} once none runs. */
  boolean revertDue() {
    return reverting != null && reverting.ready() == null;
  }

  /**
   * Makes the commits that revert the culprit's merge and those of the tasks that succeeded on top
   * of it in this session (its dependents, transitively), newest first, without moving the branch.
   * Called on the engine's thread while no task runs, so no merge comes in between. When the revert
   * cannot be made, records why and gives up the revert: the run stops.
   */
  SessionMerges.Revert prepareRevert(
      Store store, String runId, RunListener listener, List<Runnable> after) {
    Reverting rv = reverting;
    SessionMerges.Revert revert = merges.revert(rv.checkpoint(), rv.task(), rv.commit(), rv.log());
    if (revert instanceof SessionMerges.Revert.Impossible no) {
      reverting = null;
      stopped = true;
      due = null;
      stopWhy += "; not reverted: " + no.reason();
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("number", rv.checkpoint());
      data.put("task", rv.task());
      data.put("reason", no.reason());
      store.appendEventData(runId, clock.instant(), NOT_REVERTED, null, data);
      String note =
          "--on-checkpoint-fail revert: " + no.reason() + "; nothing was reverted; stopping";
      after.add(() -> listener.note(note));
    }
    return revert;
  }

  /**
   * Records a prepared revert once the engine has failed its tasks; the branch moves in {@link
   * #applyRevert} after the store has it.
   */
  void reverted(
      SessionMerges.Revert.Ready ready,
      Store store,
      String runId,
      RunListener listener,
      List<Runnable> after) {
    reverting = reverting.with(ready);
    merges.reverted(ready);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("number", ready.checkpoint());
    data.put("task", ready.culprit());
    data.put("culprit_commit", ready.culpritCommit());
    data.put("reverted_with", ready.with());
    data.put("commits", ready.commits().commits());
    data.put("before", ready.commits().before());
    data.put("commit", ready.commits().head());
    store.appendEventData(runId, clock.instant(), REVERTED, ready.culprit(), data);
    List<String> with = ready.with();
    String note =
        "checkpoint "
            + ready.checkpoint()
            + ": reverted the merge of "
            + ready.culprit()
            + (with.isEmpty() ? "" : " and of " + String.join(", ", with) + ", built on it,")
            + " in "
            + shortSha(ready.commits().head())
            + "; running the checkpoint again";
    after.add(() -> listener.note(note));
  }

  /**
   * Moves the integration branch to the prepared revert, after the store has recorded it; the check
   * after it falls due. Returns null, or why the branch could not move (the run then stops).
   */
  String applyRevert(SessionMerges.Revert.Ready ready) {
    RevertResult.Prepared p = ready.commits();
    try {
      place.advance(p.before(), p.head(), "revert " + ready.culprit());
    } catch (GitException e) {
      reverting = null;
      stopped = true;
      due = null;
      return "--on-checkpoint-fail revert: the integration branch could not move to the revert: "
          + e.getMessage();
    }
    reverting = reverting.branchMoved();
    due = "revert of " + ready.culprit();
    return null;
  }

  /**
   * Whether a task's end brought its work into the integration branch: its merge, or without
   * isolation its success.
   */
  static boolean merged(JobResult r) {
    if (!r.succeeded()) {
      return false;
    }
    return !(r.details().get("git") instanceof Map<?, ?> git) || "merged".equals(git.get("merge"));
  }

  /**
   * When a checkpoint ran, for people, from its recorded {@code after} ({@code wave 2}, {@code
   * waves 2-3}, {@code merge of x}, {@code 3 merges}, {@code end}, {@code end (1 merge)}, {@code
   * resumption}, {@code revert of x}): {@code after wave 2}, {@code at the end}, …
   */
  public static String label(String after) {
    if (after.equals("end")) {
      return "at the end";
    }
    if (after.startsWith("end (") && after.endsWith(")")) {
      return "at the end, after " + after.substring(5, after.length() - 1);
    }
    return "after " + after;
  }

  private static String shortSha(String commit) {
    return commit.length() > 10 ? commit.substring(0, 10) : commit;
  }

  private static String merges(int n) {
    return Counts.count(n, "merge");
  }
}
