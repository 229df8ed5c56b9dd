package dev.braid.manifest;

import java.nio.file.Path;

/** A place in a source file, 1-based, compiler style. Line or column 0 means unknown. */
public record Location(Path file, int line, int column) {

  public static Location of(Path file) {
    return new Location(file, 0, 0);
  }

  /** {@code tasks.yaml:14:7} (or less, when line or column is unknown). */
  @Override
  public String toString() {
    String name = file == null ? "<input>" : file.toString();
    if (line <= 0) {
      return name;
    }
    return column <= 0 ? name + ":" + line : name + ":" + line + ":" + column;
  }
}
