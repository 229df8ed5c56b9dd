package dev.braid.manifest;

import java.util.Objects;

/**
 * How long a task is expected to take: explicit minutes win over a size; a task with neither takes
 * {@link #DEFAULT_MINUTES}.
 */
public record Estimate(Double minutes, Size size) {

  /** What a task without any estimate is assumed to take. */
  public static final double DEFAULT_MINUTES = Size.M.minutes();

  public static final Estimate NONE = new Estimate(null, null);

  public Estimate {
    if (minutes != null && (minutes.isNaN() || minutes < 0 || minutes.isInfinite())) {
      throw new IllegalArgumentException("minutes must be a finite number >= 0: " + minutes);
    }
  }

  public static Estimate ofMinutes(double minutes) {
    return new Estimate(minutes, null);
  }

  public boolean isPresent() {
    return minutes != null || size != null;
  }

  /** This estimate, or {@code fallback} where this one says nothing. */
  public Estimate orElse(Estimate fallback) {
    return isPresent() ? this : fallback;
  }

  // equals and hashCode written out: a record's own are linked through method handles on first
  // use, ~8 ms of every `braid run`'s start (the writer compares each task's estimate).
  @Override
  public boolean equals(Object o) {
    return o instanceof Estimate e && Objects.equals(minutes, e.minutes) && size == e.size;
  }

  @Override
  public int hashCode() {
    return Objects.hash(minutes, size);
  }

  public double effectiveMinutes() {
    if (minutes != null) {
      return minutes;
    }
    return size != null ? size.minutes() : DEFAULT_MINUTES;
  }
}
