package dev.braid.analysis;

import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.Places;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A plan that was read and validated, with its warnings and derived conflicts: what every command
 * that acts on a plan starts from.
 */
public record CheckedPlan(
    Manifest manifest, List<Diagnostic> warnings, DependencyGraph graph, Conflicts conflicts) {

  public CheckedPlan {
    warnings = List.copyOf(warnings);
  }

  /**
   * Reads and validates {@code file}. Throws with every error (and the warnings, for context); with
   * {@code strict}, warnings count as errors.
   */
  public static CheckedPlan load(Path file, boolean strict) throws ManifestException {
    ManifestReader.Result read = ManifestReader.read(file);
    return check(read.manifest(), read.warnings(), strict);
  }

  /**
   * Validates an already read plan; when it was read from a file, also against its repository (a
   * scope entry naming a directory there without a trailing '/').
   */
  public static CheckedPlan check(Manifest manifest, List<Diagnostic> readWarnings, boolean strict)
      throws ManifestException {
    Path file = manifest.sources().file();
    Path root = file == null ? null : Places.workDir(file);
    Predicate<String> directory = root == null ? null : p -> Files.isDirectory(root.resolve(p));
    List<Diagnostic> all = new ArrayList<>(readWarnings);
    DependencyGraph graph = DependencyGraph.of(manifest);
    all.addAll(Validator.validate(manifest, graph, directory));
    if (strict) {
      all.replaceAll(Diagnostic::asError);
    }
    all.sort(
        Comparator.comparingInt((Diagnostic d) -> d.location().line())
            .thenComparingInt(d -> d.location().column()));
    if (all.stream().anyMatch(Diagnostic::isError)) {
      throw new ManifestException(all);
    }
    return new CheckedPlan(manifest, all, graph, Conflicts.derive(manifest));
  }
}
