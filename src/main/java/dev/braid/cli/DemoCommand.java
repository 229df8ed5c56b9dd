package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = "Analyze and plan the bundled example (seed 001's shopping cart feature).")
final class DemoCommand implements Callable<Integer> {

  static final String EXAMPLE = "examples/shopping-cart.yaml";

  @Option(
      names = {"-j", "--agents"},
      paramLabel = "N",
      description = "Agents (default: ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int agents;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException, IOException {
    if (agents < 1) {
      throw new UserException("--agents must be at least 1, got " + agents);
    }
    Path dir = Files.createTempDirectory("braid-demo-");
    try {
      Path file = dir.resolve("shopping-cart.yaml");
      try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks " + EXAMPLE);
        }
        Files.copy(in, file);
      }
      PrintWriter out = spec.commandLine().getOut();
      CheckedPlan checked = CheckedPlan.load(file, false);
      out.println("== braid analyze " + EXAMPLE);
      out.print(AnalyzeCommand.view(EXAMPLE, checked).text());
      out.println();
      out.println("== braid plan " + EXAMPLE + " --agents " + agents);
      PlanCommand.print(out, checked, EXAMPLE, agents, OutputFormat.text);
      return ExitCodes.OK;
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
