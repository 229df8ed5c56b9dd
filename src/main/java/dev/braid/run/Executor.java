package dev.braid.run;

/**
 * Where task commands run: this machine's processes today, a cluster (Slurm) tomorrow. The engine
 * only starts jobs and reacts to their ends; it never waits on one.
 */
public interface Executor extends AutoCloseable {

  /** Starts a job; never blocks for its end. A start failure is reported through the result. */
  Execution start(Job job);

  /** Stops every job still live (TERM, then KILL after a grace period) and waits for them. */
  @Override
  void close();

  /** A started job. */
  interface Execution {
    /** Completes when the job and everything it started have ended and its log is complete. */
    java.util.concurrent.CompletableFuture<JobResult> onExit();

    /** Asks the job to stop: TERM to its whole process tree, KILL after the grace period. */
    void terminate(String reason);

    /** Kills the job's whole process tree at once, without a grace period. */
    void kill(String reason);
  }
}
