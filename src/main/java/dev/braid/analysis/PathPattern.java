package dev.braid.analysis;

import java.util.Optional;

/**
 * One {@code file_scope} entry: a file path, a directory ending in {@code /}, or a glob with {@code
 * *} (within one path segment), {@code **} (any number of segments) and {@code ?}.
 */
public final class PathPattern {

  private PathPattern() {}

  /** Why {@code pattern} is not a valid scope entry, or empty when it is valid. */
  public static Optional<String> syntaxError(String pattern) {
    return Optional.empty(); // TODO: analysis helper
  }
}
