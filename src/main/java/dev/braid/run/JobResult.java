package dev.braid.run;

import dev.braid.manifest.Counts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one attempt of a task ended, as an {@link Executor} reports it.
 *
 * @param outcome why it ended
 * @param started when it was launched
 * @param ended when it had ended and its log was complete
 * @param details what an executor adds to the task's end event, e.g. the files it changed; values
 *     are JSON-serializable (strings, numbers, lists, maps)
 * @param outputBytes how many bytes of output the job's process printed to its log, or null when
 *     unknown (no process ran, or its spawner could not tell)
 */
public record JobResult(
    Outcome outcome,
    Instant started,
    Instant ended,
    Map<String, Object> details,
    Long outputBytes) {

  public JobResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(ended, "ended");
    details =
        details == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public JobResult(Outcome outcome, Instant started, Instant ended) {
    this(outcome, started, ended, Map.of());
  }

  public JobResult(Outcome outcome, Instant started, Instant ended, Map<String, Object> details) {
    this(outcome, started, ended, details, null);
  }

  /** The same result with another outcome and more details. */
  public JobResult with(Outcome other, Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(details);
    all.putAll(more);
    return new JobResult(other, started, ended, all, outputBytes);
  }

  /**
   * This result of a run after {@code earlier}, an earlier run of the same attempt into the same
   * log (a merge conflict's lone rerun): its output counts both, so that a log lost later is not
   * taken for one the task never wrote to (unknown if either is).
   */
  JobResult after(JobResult earlier) {
    Long both =
        outputBytes == null || earlier.outputBytes == null
            ? null
            : outputBytes + earlier.outputBytes;
    return new JobResult(outcome, started, ended, details, both);
  }

  /**
   * Whether running the task again may help: not after a merge conflict (the conflict policy
   * decides) or a scope violation (the same command would change the same files).
   */
  public boolean retryable() {
    return !(outcome instanceof Outcome.MergeConflict || outcome instanceof Outcome.ScopeViolation);
  }

  /** The result of a launched process. */
  static JobResult of(TaskExit exit) {
    return new JobResult(exit.outcome(), exit.start(), exit.end(), Map.of(), exit.outputBytes());
  }

  public Duration duration() {
    return Duration.between(started, ended);
  }

  public boolean succeeded() {
    return outcome instanceof Outcome.Exited e && e.code() == 0;
  }

  /** The exit code when the job exited by itself, else null. */
  public Integer exitCode() {
    return outcome instanceof Outcome.Exited e ? e.code() : null;
  }

  /** Whether Braid stopped it (interrupt, fail-fast), as opposed to it failing by itself. */
  public boolean stoppedByBraid() {
    return outcome instanceof Outcome.Killed;
  }

  /** One line for people: {@code ok}, {@code exit 3}, {@code timed out after 10m}. */
  public String describe() {
    return switch (outcome) {
      case Outcome.Exited e -> e.code() == 0 ? "ok" : "exit " + e.code();
      case Outcome.TimedOut t -> "timed out after " + human(t.after());
      case Outcome.IdleTimedOut t -> "no output for " + human(t.after());
      case Outcome.Killed k -> "stopped: " + k.reason();
      case Outcome.FailedToStart f -> "could not start: " + f.message();
      case Outcome.MergeConflict c ->
          "merge conflict in "
              + list(c.files())
              + (c.with().isEmpty() ? "" : " with " + String.join(", ", c.with()));
      case Outcome.ScopeViolation v ->
          (v.frozen()
                  ? "changed " + Counts.count(v.files().size(), "frozen file") + ": "
                  : "changed files outside its file_scope: ")
              + list(v.files());
      case Outcome.IntegrationFailed f -> "could not integrate its work: " + f.message();
    };
  }

  private static String list(List<String> files) {
    int shown = Math.min(files.size(), 5);
    String head = String.join(", ", files.subList(0, shown));
    return shown < files.size() ? head + " and " + (files.size() - shown) + " more" : head;
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
    }
    return s % 60 == 0 ? (s / 60) + "m" : (s / 60) + "m" + (s % 60) + "s";
  }
}
