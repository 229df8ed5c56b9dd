package dev.braid.run;

import dev.braid.manifest.Checkpoint;
import dev.braid.plan.Group;
import dev.braid.plan.TaskGraph;
import dev.braid.plan.Waves;
import dev.braid.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** {@code --on-checkpoint-fail}: what a failed checkpoint does to the run. */
  public enum OnFail {
    /** No new task starts; running ones finish; the run ends failed. */
    STOP,
    /** Reported; the run goes on. */
    CONTINUE
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
    static Place integration(dev.braid.git.Integration integration) {
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
    FAILED_STOP,
    FAILED_CONTINUE
  }

  private final Checkpoint spec;
  private final OnFail onFail;
  private final Place place;
  private final Executor executor;
  private final Path logDir;
  private final Clock clock;
  private final int[] waveOf;
  private final int[] left;
  private int wavesDone;
  private final List<String> merged = new ArrayList<>();
  private Consumer<Ended> done = e -> {};
  private String due;
  private Running running;
  private int number;
  private boolean endChecked;
  private boolean stopped;
  private String lastPassed;
  private boolean lastFailed;
  private final Map<String, String> taskOfMerge = new HashMap<>();
  // shared with the checkpoint's thread, under this object's lock
  private Executor.Execution execution;
  private String stopping;

  /** The checkpoint in progress, as the engine's thread knows it. */
  private record Running(int number, String after, String commit, List<String> covers, Path log) {}

  /**
   * @param done restored tasks (already done before this session): their waves are not checked
   *     again
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
      Clock clock) {
    this.spec = spec;
    this.onFail = onFail;
    this.place = place;
    this.executor = executor;
    this.logDir = logDir;
    this.clock = clock;
    List<Group> waves = Waves.of(graph, agents);
    this.waveOf = new int[graph.size()];
    this.left = new int[waves.size()];
    for (int w = 0; w < waves.size(); w++) {
      for (int t : waves.get(w).tasks()) {
        waveOf[t] = w;
        if (!done.test(t)) {
          left[w]++;
        }
      }
    }
    while (wavesDone < left.length && left[wavesDone] == 0) {
      wavesDone++;
    }
    // before any task of this session merged: what bisection assumes was good
    this.lastPassed = place.commit();
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
    if (merged) {
      this.merged.add(taskId);
      if (result.details().get("git") instanceof Map<?, ?> git
          && git.get("integration_head") instanceof String head) {
        taskOfMerge.put(head, taskId);
      }
    }
    switch (spec.after()) {
      case Checkpoint.After.Each e -> {
        if (merged) {
          due = "merge of " + taskId;
        }
      }
      case Checkpoint.After.EveryMerges n -> {
        if (this.merged.size() >= n.merges()) {
          due = this.merged.size() + " merges";
        }
      }
      case Checkpoint.After.Wave w -> {
        left[waveOf[task]]--;
        int before = wavesDone;
        while (wavesDone < left.length && left[wavesDone] == 0) {
          wavesDone++;
        }
        if (wavesDone > before) {
          due = "wave " + wavesDone;
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
    if (endChecked || stopped) {
      return;
    }
    endChecked = true;
    switch (spec.after()) {
      case Checkpoint.After.End e -> due = "end";
      case Checkpoint.After.EveryMerges n -> {
        if (!merged.isEmpty()) {
          due = "end (" + merged.size() + " merges)";
        }
      }
      case Checkpoint.After.Each e -> {}
      case Checkpoint.After.Wave w -> {}
    }
  }

  /** Whether new task starts wait: without isolation, while a checkpoint is due or runs. */
  boolean holdsStarts() {
    return place.exclusive() && (due != null || running != null);
  }

  /** Whether a checkpoint is due or runs: the run does not end before it has. */
  boolean busy() {
    return due != null || running != null;
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
    Map<String, String> vars = new HashMap<>(env);
    vars.put("BRAID_CHECKPOINT", Integer.toString(n));
    // after a failed one, the break may be older than these merges: no bisection
    String good = lastFailed ? null : lastPassed;
    running = new Running(n, why, commit, covers, log);
    after.add(
        () -> {
          listener.note(
              "checkpoint "
                  + n
                  + " (after "
                  + why
                  + ")"
                  + (commit == null ? "" : " on " + shortSha(commit)));
          Thread.ofVirtual()
              .name("braid-checkpoint-" + n)
              .start(() -> run(n, commit, good, log, vars));
        });
  }

  /**
   * On the checkpoint's thread: checks out the commit, runs the command, and when it fails bisects
   * the merges since {@code good}; reports the end.
   */
  private void run(int n, String commit, String good, Path log, Map<String, String> env) {
    JobResult result = check(n, commit, log, env);
    String culprit = null;
    int runs = 0;
    List<String> merges =
        result.succeeded() || result.stoppedByBraid() || commit == null || good == null
            ? List.of()
            : place.mergesBetween(good, commit);
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
    String took = seconds(result.duration());
    if (result.succeeded()) {
      lastPassed = r.commit();
      lastFailed = false;
      store.appendEventData(runId, result.ended(), PASSED, null, data);
      after.add(() -> listener.note("checkpoint " + r.number() + " passed (" + took + ")"));
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
    String culprit = e.culprit() == null ? null : taskOfMerge.get(e.culprit());
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
            + " (after "
            + r.after()
            + ") failed: "
            + result.describe()
            + (culprit != null
                ? "; broken by the merge of " + culprit
                : r.covers().isEmpty() ? "" : "; it covers " + String.join(", ", r.covers()))
            + "; log: "
            + r.log();
    after.add(() -> listener.note(what));
    if (onFail == OnFail.STOP) {
      stopped = true;
      due = null;
      return Verdict.FAILED_STOP;
    }
    return Verdict.FAILED_CONTINUE;
  }

  /** The reason the run stopped after checkpoint {@code e} failed. */
  String stopReason(Ended e) {
    String culprit = e.culprit() == null ? null : taskOfMerge.get(e.culprit());
    return "checkpoint "
        + e.number()
        + " failed: "
        + e.result().describe()
        + (culprit == null ? "" : "; broken by the merge of " + culprit);
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

  private static String shortSha(String commit) {
    return commit.length() > 10 ? commit.substring(0, 10) : commit;
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
