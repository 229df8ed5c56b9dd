package dev.braid.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/** Runs jobs as processes of this machine, through one {@link Launcher}. */
public final class LocalExecutor implements Executor {

  private final Launcher launcher;
  private final Duration killGrace;

  /**
   * @param tag marks every process started, so that what a killed runner left behind can be found
   *     ({@link #killLeftovers})
   * @param killGrace how long a terminated job has between TERM and KILL
   */
  public LocalExecutor(String tag, Duration killGrace) {
    this.launcher = new Launcher(Launcher.Groups.SHELL_ONLY, tag + "/");
    this.killGrace = killGrace;
  }

  /** Kills the processes an executor with this tag started and left running when it died. */
  public static int killLeftovers(String tag) {
    return Launcher.killTagged(tag + "/");
  }

  @Override
  public Execution start(Job job) {
    RunningTask task = launcher.launch(spec(job), job.lines()::accept, job.slot());
    return new Run(task, task.onExit().thenApply(JobResult::of));
  }

  /** Why the JDK starts the processes, not {@code braid-spawn}; empty when braid-spawn does. */
  public Optional<String> whyNotSpawnHelper() {
    return launcher.whyNotSpawnHelper();
  }

  @Override
  public boolean queues() {
    return launcher.mechanism().equals("braid-spawn");
  }

  @Override
  public Optional<Queued> queue(Job job, Started started) {
    return launcher
        .queue(spec(job), job.lines()::accept, started)
        .map(
            task ->
                new Run(
                    task,
                    task.onExit()
                        .handle(
                            (exit, neverStarted) -> {
                              if (neverStarted != null) { // the only way it fails
                                throw new CancellationException("not started");
                              }
                              return JobResult.of(exit);
                            })));
  }

  @Override
  public void handOver() {
    launcher.handOver();
  }

  /** A launched or queued task; promote and cancel mean nothing to a launched one. */
  private record Run(RunningTask task, CompletableFuture<JobResult> onExit) implements Queued {
    @Override
    public void terminate(String reason) {
      task.terminate(reason);
    }

    @Override
    public void kill(String reason) {
      task.kill(reason);
    }

    @Override
    public void promote(int slot) {
      task.promote(slot);
    }

    @Override
    public void cancel() {
      task.cancel();
    }
  }

  private LaunchSpec spec(Job job) {
    LaunchSpec spec = LaunchSpec.of(job.command(), job.workDir(), job.logFile());
    if (job.command() instanceof Command.Exec e) {
      spec = spec.withEnv(e.env());
    }
    spec = spec.withEnv(job.env()).withKillGrace(killGrace);
    if (job.timeout() != null) {
      spec = spec.withTimeout(job.timeout());
    }
    if (job.idleTimeout() != null) {
      spec = spec.withIdleTimeout(job.idleTimeout());
    }
    return spec;
  }

  @Override
  public void close() {
    launcher.close();
  }
}
