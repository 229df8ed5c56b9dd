package dev.braid.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The end of one launched task.
 *
 * @param outcome why it ended
 * @param exitCode the process's exit status as {@link Process#exitValue()} reports it: 128 + the
 *     signal number when a signal killed it; -1 when it never started
 * @param start when it was launched
 * @param end when its process had exited and its output was fully written to the log
 * @param outputBytes how many bytes of output it printed (to its log), or null if unknown
 */
public record TaskExit(
    Outcome outcome, int exitCode, Instant start, Instant end, Long outputBytes) {

  public TaskExit {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public boolean succeeded() {
    return outcome instanceof Outcome.Exited(int code) && code == 0;
  }

  /**
   * Whether a signal ended the process, by the shell's convention of 129..192. A command that exits
   * with such a code by itself looks the same; the JDK cannot tell them apart.
   */
  public boolean signalled() {
    return exitCode > 128 && exitCode <= 128 + 64;
  }
}
