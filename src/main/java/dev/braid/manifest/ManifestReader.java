package dev.braid.manifest;

import java.nio.file.Path;
import java.util.List;

/** Reads a native Braid plan file (JSON or YAML, detected by content). */
public final class ManifestReader {

  private ManifestReader() {}

  /** A plan read from a file, with the warnings found while reading (unknown fields, ...). */
  public record Result(Manifest manifest, List<Diagnostic> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Reads {@code file}. Throws with every error found (syntax, types, enums, durations), each
   * naming file, line, column and field.
   */
  public static Result read(Path file) throws ManifestException {
    throw new UnsupportedOperationException("TODO: manifest helper");
  }
}
