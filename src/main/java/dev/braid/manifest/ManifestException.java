package dev.braid.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** A plan that cannot be used, with every problem found in it. */
public final class ManifestException extends Exception {

  private final List<Diagnostic> diagnostics;

  public ManifestException(List<Diagnostic> diagnostics) {
    super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public ManifestException(Diagnostic diagnostic) {
    this(List.of(diagnostic));
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
