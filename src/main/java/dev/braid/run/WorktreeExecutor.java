package dev.braid.run;

import dev.braid.analysis.ChangeOverlaps;
import dev.braid.analysis.ScopeAudit;
import dev.braid.git.GitException;
import dev.braid.git.Integration;
import dev.braid.git.MergeResult;
import dev.braid.git.TaskCommit;
import dev.braid.git.TaskWorktree;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs each job of an inner {@link Executor} in its own git worktree, then integrates its work:
 * before the job, a worktree on a new task branch at the integration head; after a successful exit,
 * a commit of everything it changed, the scope audit ({@code file_scope}, {@code frozen_files}) and
 * the merge into the integration branch. What happened goes into the result's {@link
 * JobResult#details() details} under {@code "git"}.
 *
 * <p>On a merge conflict with {@link Isolation.OnConflict#RETRY}, the task runs again right here,
 * alone: it waits for every other task to finish integrating while no new task is let in, then
 * repeats in a fresh worktree at the new integration head, where its merge cannot conflict. The
 * engine sees one long attempt.
 *
 * <p>Git work runs on virtual threads, never on the engine's thread; merges are serialized by the
 * {@link Integration}.
 */
public final class WorktreeExecutor implements Executor {

  /** Permits of the gate: a task holds one, a lone retry holds them all. */
  private static final int ALL = 1 << 20;

  private final Executor inner;
  private final Integration integration;
  private final Map<String, Task> tasks = new HashMap<>();
  private final List<String> frozen;
  private final Isolation settings;
  private final Clock clock;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore gate = new Semaphore(ALL, true);
  private final List<ChangeOverlaps.Ran> finished = new ArrayList<>();
  // this session's merges, in order: who changed a file a later merge conflicts in
  private final List<Merge> merges = new ArrayList<>();

  private record Merge(String taskId, String after, List<String> changed) {}

  public WorktreeExecutor(
      Executor inner, Integration integration, Manifest plan, Isolation settings, Clock clock) {
    this.inner = inner;
    this.integration = integration;
    plan.tasks().forEach(t -> tasks.putIfAbsent(t.id(), t));
    this.frozen = plan.frozenFiles();
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Execution start(Job job) {
    Attempt a = new Attempt(job);
    workers.execute(a::run);
    return a;
  }

  @Override
  public void close() {
    inner.close();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One job's life: gate, worktree, command, commit, audit, merge. */
  private final class Attempt implements Execution {
    private final Job job;
    private final Task task;
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final Map<String, Object> git = new LinkedHashMap<>();
    private final Map<String, Long> overheadMs = new LinkedHashMap<>();
    private Thread thread;
    private Execution running;
    private String stopped;
    private boolean killed;

    Attempt(Job job) {
      this.job = job;
      this.task = tasks.getOrDefault(job.taskId(), Task.of(job.taskId()));
    }

    @Override
    public CompletableFuture<JobResult> onExit() {
      return result;
    }

    @Override
    public void terminate(String reason) {
      stop(reason, false);
    }

    @Override
    public void kill(String reason) {
      stop(reason, true);
    }

    private void stop(String reason, boolean now) {
      Execution x;
      synchronized (this) {
        if (stopped == null) {
          stopped = reason;
        }
        killed |= now;
        x = running;
        if (x == null && thread != null) {
          thread.interrupt(); // waiting at the gate or setting up: give up there
        }
      }
      if (x != null) {
        if (now) {
          x.kill(reason);
        } else {
          x.terminate(reason);
        }
      }
    }

    void run() {
      Instant started = clock.instant();
      synchronized (this) {
        thread = Thread.currentThread();
      }
      int held = 0;
      try {
        gate.acquire(1);
        held = 1;
        JobResult r = attempt(false);
        if (r.outcome() instanceof Outcome.MergeConflict c
            && settings.onConflict() == Isolation.OnConflict.RETRY) {
          gate.release(held);
          held = 0;
          gate.acquire(ALL);
          held = ALL;
          git.put(
              "conflict",
              Map.of("files", c.files(), "with", c.with(), "resolution", "retried alone"));
          // the first run's work is thrown away: a cost of running it beside the other task
          overheadMs.merge("redone", r.duration().toMillis(), Long::sum);
          note(r.describe() + ": running again alone on the new integration head");
          r = attempt(true).after(r);
        }
        result.complete(r.with(r.outcome(), Map.of("git", git)));
      } catch (InterruptedException e) {
        String why;
        synchronized (this) {
          why = stopped == null ? "interrupted" : stopped;
        }
        result.complete(
            new JobResult(new Outcome.Killed(why), started, clock.instant(), Map.of("git", git)));
      } catch (GitException | java.io.UncheckedIOException e) {
        result.complete(
            new JobResult(
                new Outcome.IntegrationFailed(e.getMessage()),
                started,
                clock.instant(),
                Map.of("git", git)));
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      } finally {
        synchronized (this) {
          thread = null;
        }
        if (held > 0) {
          gate.release(held);
        }
      }
    }

    /** Worktree, command, commit, audit, merge; a conflict is returned, not resolved. */
    private JobResult attempt(boolean alone) throws InterruptedException {
      git.remove("merge");
      git.remove("kept_worktree");
      long t0 = System.nanoTime();
      TaskWorktree wt = integration.open(job.taskId(), Math.max(1, job.slot()));
      overheadMs.merge("worktree", ms(t0), Long::sum);
      git.put("branch", wt.branch());
      git.put("base", wt.base());
      git.put("worktree", wt.dir().toString());
      Map<String, String> env = new HashMap<>(job.env());
      env.put("BRAID_WORKTREE", wt.dir().toString());
      env.put("BRAID_BRANCH", wt.branch());
      env.put("BRAID_INTEGRATION_BRANCH", integration.branch());
      Job inWorktree =
          new Job(
              job.taskId(),
              job.attempt(),
              job.slot(),
              job.command(),
              wt.dir(),
              env,
              job.logFile(),
              job.timeout(),
              job.idleTimeout(),
              job.lines());
      JobResult r = runInner(inWorktree);
      if (!r.succeeded()) {
        keep(wt);
        return r; // its worktree stays for inspection (braid clean removes it)
      }
      long t1 = System.nanoTime();
      TaskCommit work = integration.commit(wt, message());
      overheadMs.merge("commit", ms(t1), Long::sum);
      ScopeAudit audit = ScopeAudit.of(task, work.changedFiles(), frozen);
      git.put("commit", work.head());
      git.put("message", message().strip());
      git.put("changed", work.changedFiles());
      git.put("out_of_scope", audit.outOfScope());
      git.put("frozen", audit.frozen());
      git.put("started_at", r.started().toString());
      git.put("ended_at", r.ended().toString());
      git.put("overlaps", overlaps(r, audit));
      git.put("overhead_ms", overheadMs);
      if (!audit.frozen().isEmpty()) {
        keep(wt);
        return r.with(new Outcome.ScopeViolation(audit.frozen(), true), Map.of());
      }
      if (settings.strictScope() && !audit.withinScope()) {
        keep(wt);
        return r.with(new Outcome.ScopeViolation(audit.outOfScope(), false), Map.of());
      }
      long t2 = System.nanoTime();
      MergeResult m = integration.merge(wt, work, message());
      overheadMs.merge("merge", ms(t2), Long::sum);
      return switch (m) {
        case MergeResult.Merged merged -> {
          git.put("merge", "merged");
          git.put("integration_before", merged.before());
          git.put("integration_head", merged.after());
          synchronized (merges) {
            merges.add(new Merge(job.taskId(), merged.after(), work.changedFiles()));
          }
          integration.release(wt);
          yield r;
        }
        case MergeResult.UpToDate u -> {
          git.put("merge", "nothing to merge");
          integration.release(wt);
          yield r;
        }
        case MergeResult.Conflicted c -> {
          git.put("merge", "conflict");
          git.put("conflict_files", c.files());
          List<String> with = mergedSince(wt.base(), c.files());
          git.put("conflict_with", with);
          if (alone) {
            // cannot happen: nothing else merged while it ran alone; keep its branch
            keep(wt);
            yield r.with(new Outcome.MergeConflict(c.files(), with, false), Map.of());
          }
          boolean retry = settings.onConflict() == Isolation.OnConflict.RETRY;
          if (retry) {
            integration.release(wt); // the lone rerun redoes the work
          } else {
            keep(wt);
            git.put(
                "conflict",
                Map.of(
                    "files",
                    c.files(),
                    "with",
                    with,
                    "resolution",
                    settings.onConflict() == Isolation.OnConflict.STOP ? "stopped" : "skipped"));
          }
          yield r.with(
              new Outcome.MergeConflict(
                  c.files(), with, settings.onConflict() == Isolation.OnConflict.STOP),
              Map.of());
        }
      };
    }

    /**
     * The tasks whose merges since {@code base} changed one of {@code files}: those the conflict is
     * with. All of this session's merges when {@code base} is none of theirs (the run's start, an
     * earlier session's or a revert's commit), which the files then narrow down.
     */
    private List<String> mergedSince(String base, List<String> files) {
      List<Merge> all;
      synchronized (merges) {
        all = List.copyOf(merges);
      }
      int from = 0;
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).after().equals(base)) {
          from = i + 1;
          break;
        }
      }
      List<String> with = new ArrayList<>();
      for (Merge m : all.subList(from, all.size())) {
        if (!with.contains(m.taskId()) && m.changed().stream().anyMatch(files::contains)) {
          with.add(m.taskId());
        }
      }
      return with;
    }

    /** Keeps a worktree whose work was not merged, and records where. */
    private void keep(TaskWorktree wt) {
      git.putIfAbsent("merge", "not merged");
      git.put("worktree", integration.keep(wt).dir().toString());
      git.put("kept_worktree", true);
    }

    private JobResult runInner(Job j) throws InterruptedException {
      Execution x;
      synchronized (this) {
        if (stopped != null) {
          throw new InterruptedException(stopped);
        }
        Thread.interrupted(); // from a stop that arrived before; handled above
        x = inner.start(j);
        running = x;
      }
      try {
        return x.onExit().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("executor failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        // stop() forwards to the job; wait for it to end so its worktree is quiet
        x.kill("braid is stopping");
        try {
          return x.onExit().get();
        } catch (ExecutionException ex) {
          throw new IllegalStateException("executor failed: " + ex.getCause(), ex.getCause());
        }
      } finally {
        synchronized (this) {
          running = null;
        }
      }
    }

    private List<Map<String, Object>> overlaps(JobResult r, ScopeAudit audit) {
      ChangeOverlaps.Ran me =
          new ChangeOverlaps.Ran(job.taskId(), r.started(), r.ended(), audit.outOfScope());
      List<ChangeOverlaps.Ran> all;
      synchronized (finished) {
        finished.add(me);
        all = List.copyOf(finished);
      }
      List<Map<String, Object>> out = new ArrayList<>();
      for (ChangeOverlaps.Overlap o : ChangeOverlaps.undeclared(all)) {
        if (o.a().equals(job.taskId()) || o.b().equals(job.taskId())) {
          String other = o.a().equals(job.taskId()) ? o.b() : o.a();
          if (!other.equals(job.taskId())) {
            out.add(Map.of("with", other, "files", o.files()));
          }
        }
      }
      return out;
    }

    private String message() {
      String title = task.displayTitle();
      return title.equals(task.id()) ? task.id() + "\n" : task.id() + ": " + title + "\n";
    }

    private void note(String line) {
      try {
        Files.writeString(
            job.logFile(),
            "--- braid: " + line + " ---\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        // the log is for people; the event records the retry anyway
      }
      job.lines().accept("braid: " + line);
    }
  }

  private static long ms(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }
}
