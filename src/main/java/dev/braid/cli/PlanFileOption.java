package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.PlanFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.TypeConversionException;

/** The plan file argument shared by every command that reads a plan. */
final class PlanFileOption implements SharedOptions {

  /** Looked for in the current directory when no file is given. */
  static final List<String> DEFAULT_NAMES =
      List.of("braid.yaml", "braid.yml", "braid.json", ".braid.yaml");

  private final PositionalParamSpec file =
      PositionalParamSpec.builder()
          .index("0")
          .arity("0..1")
          .paramLabel("PLAN")
          .type(Path.class)
          .description(
              "The plan file: Braid's JSON or YAML, a spec-kit tasks.md, a Task Master tasks.json,"
                  + " micro-tasks or a Markdown checklist (detected by content)."
                  + " Default: braid.yaml, braid.yml or braid.json.")
          .build();

  private final OptionSpec strict = SharedOptions.flag("Treat warnings as errors.", "--strict");

  private final OptionSpec from =
      SharedOptions.valued(
              PlanFormat.class,
              "FORMAT",
              "Read the plan as ${COMPLETION-CANDIDATES} instead of detecting the format from its"
                  + " content.",
              "--from")
          .converters(new FormatConverter())
          .completionCandidates(new FormatConverter.Labels())
          .build();

  @Override
  public CommandSpec mixin() {
    return CommandSpec.create().addPositional(file).addOption(strict).addOption(from);
  }

  boolean strict() {
    return SharedOptions.isSet(strict);
  }

  Path resolve() {
    return resolve(file.getValue());
  }

  /** {@code file}, or the default plan file of the current directory when it is null. */
  static Path resolve(Path file) {
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

  /** The plan as read, before validation. */
  ManifestReader.Result read() throws ManifestException {
    return ManifestReader.read(resolve(), from.getValue());
  }

  CheckedPlan load() throws ManifestException {
    return load(null);
  }

  /**
   * Reads and validates the plan; tasks with neither command nor agent get {@code defaultCommand}
   * when it is not null.
   */
  CheckedPlan load(String defaultCommand) throws ManifestException {
    ManifestReader.Result read = read();
    var manifest =
        defaultCommand == null
            ? read.manifest()
            : read.manifest().withDefaultCommand(defaultCommand);
    return CheckedPlan.check(manifest, read.warnings(), strict());
  }

  /** The format the plan is in: the one named with {@code --from}, or the detected one. */
  PlanFormat format() throws ManifestException {
    PlanFormat named = from.getValue();
    return named != null ? named : ManifestReader.detect(resolve());
  }

  static final class FormatConverter implements ITypeConverter<PlanFormat> {
    @Override
    public PlanFormat convert(String value) {
      return PlanFormat.byLabel(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "unknown format '"
                          + value
                          + "'; expected one of "
                          + String.join(", ", new Labels())));
    }

    static final class Labels implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        return Arrays.stream(PlanFormat.values()).map(PlanFormat::label).iterator();
      }
    }
  }
}
