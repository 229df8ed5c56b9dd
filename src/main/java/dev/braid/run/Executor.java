package dev.braid.run;

import java.time.Instant;
import java.util.Optional;

/**
 * Where task commands run: this machine's processes today, a cluster (Slurm) tomorrow. The engine
 * only starts jobs and reacts to their ends; it never waits on one.
 */
public interface Executor extends AutoCloseable {

  /** Starts a job; never blocks for its end. A start failure is reported through the result. */
  Execution start(Job job);

  /**
   * Hands a job over ahead of time: it starts the moment a job of this executor that holds an agent
   * slot ({@link Job#slot()} > 0) ends, in that slot, without waiting for the engine, or when
   * {@linkplain Queued#promote promoted}. Queued jobs start in the order they were queued. {@code
   * started} gets the slot and the moment it started (also a start that failed), before the end of
   * the job whose slot it took is reported. Empty where this executor cannot queue (the engine then
   * starts the job itself when a slot is free).
   */
  default Optional<Queued> queue(Job job, Started started) {
    return Optional.empty();
  }

  /**
   * Sends the jobs {@linkplain #queue queued} since the last call on their way: an executor may
   * hold them back until then, to hand a turn's worth over at once.
   */
  default void handOver() {}

  /** Where and when a queued job started. */
  @FunctionalInterface
  interface Started {
    void started(int slot, Instant at);
  }

  /** Whether {@link #queue} can queue jobs at all. */
  default boolean queues() {
    return false;
  }

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

  /**
   * A queued job. Its {@link #onExit()} fails with a {@link
   * java.util.concurrent.CancellationException} if it never started (cancelled, or the executor
   * could not start it after all).
   */
  interface Queued extends Execution {
    /** Starts it now in {@code slot}, which is free; nothing if it started or was cancelled. */
    void promote(int slot);

    /** Takes it out of the queue unless it started already. */
    void cancel();
  }
}
