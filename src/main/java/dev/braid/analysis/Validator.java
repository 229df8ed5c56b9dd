package dev.braid.analysis;

import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Manifest;
import java.util.List;

/** The plan's semantic rules: ids, references, cycles and the seeds' parallel-metadata rules. */
public final class Validator {

  private Validator() {}

  /** Every error and warning, in file order. */
  public static List<Diagnostic> validate(Manifest manifest) {
    throw new UnsupportedOperationException("TODO: manifest helper");
  }
}
