package dev.braid.run;

import java.time.Duration;
import java.time.Instant;

/** How a job ended. */
public record JobResult(Outcome outcome, Instant started, Instant ended) {

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

  /** The ways a job ends. */
  public sealed interface Outcome {
    record Exited(int code) implements Outcome {}

    record TimedOut(Duration after) implements Outcome {}

    record IdleTimedOut(Duration after) implements Outcome {}

    /** Stopped by Braid: interrupted, fail-fast, or a budget. */
    record Killed(String reason) implements Outcome {}

    record FailedToStart(String message) implements Outcome {}

    /** One line for people: {@code exit 3}, {@code timed out after 10m}. */
    static String describe(Outcome o) {
      return switch (o) {
        case Exited e -> e.code() == 0 ? "ok" : "exit " + e.code();
        case TimedOut t -> "timed out after " + human(t.after());
        case IdleTimedOut t -> "no output for " + human(t.after());
        case Killed k -> "stopped: " + k.reason();
        case FailedToStart f -> "could not start: " + f.message();
      };
    }

    private static String human(Duration d) {
      long s = d.toSeconds();
      if (s < 60) {
        return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
      }
      return s % 60 == 0 ? (s / 60) + "m" : (s / 60) + "m" + (s % 60) + "s";
    }
  }
}
