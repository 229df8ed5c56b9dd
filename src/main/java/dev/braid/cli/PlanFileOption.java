package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The plan file argument shared by every command that reads a plan. */
final class PlanFileOption {

  /** Looked for in the current directory when no file is given. */
  static final List<String> DEFAULT_NAMES =
      List.of("braid.yaml", "braid.yml", "braid.json", ".braid.yaml");

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PLAN",
      description = "The plan file (JSON or YAML). Default: braid.yaml, braid.yml or braid.json.")
  Path file;

  @Option(names = "--strict", description = "Treat warnings as errors.")
  boolean strict;

  Path resolve() {
    if (file != null) {
      return file;
    }
    for (String name : DEFAULT_NAMES) {
      Path p = Path.of(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new UserException(
        "no plan file given and none of " + String.join(", ", DEFAULT_NAMES) + " here");
  }

  CheckedPlan load() throws ManifestException {
    return CheckedPlan.load(resolve(), strict);
  }
}
