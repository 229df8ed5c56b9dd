package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.Places;
import dev.braid.observe.RunReport;
import dev.braid.run.AgentWork;
import dev.braid.run.Isolation;
import dev.braid.run.RunService;
import dev.braid.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description =
        "Analyze, plan and run the bundled example (seed 001's shopping cart feature, each task"
            + " done by a fake coding agent) in a scratch git repository, then report.")
final class DemoCommand implements Callable<Integer> {

  static final String EXAMPLE = "examples/agents/shopping-cart.yaml";

  /** The example's agent: prints Claude Code's stream-json, needs no network. */
  static final String AGENT = "examples/agents/fake-agent";

  @Option(
      names = {"-j", "--agents"},
      paramLabel = "N",
      description = "Agents (default: ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int agents;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--plain", description = "Plain lines instead of the live view.")
  boolean plainOutput;

  @Option(
      names = "--keep",
      description =
          "Keep the scratch repository (its path is printed) to explore with status,"
              + " report, events and logs.")
  boolean keep;

  @Override
  public Integer call() throws ManifestException, IOException, InterruptedException {
    if (agents < 1) {
      throw new UserException("--agents must be at least 1, got " + agents);
    }
    Path dir = Files.createTempDirectory("braid-demo-");
    try {
      Path file = dir.resolve("braid.yaml");
      copy(EXAMPLE, file);
      Path agent = dir.resolve("fake-agent"); // where the example's profile expects it
      copy(AGENT, agent);
      if (!agent.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + agent + " executable");
      }
      gitInit(dir);
      PrintWriter out = spec.commandLine().getOut();
      CheckedPlan checked = CheckedPlan.load(file, false);
      out.println("== braid analyze " + EXAMPLE);
      out.print(AnalyzeCommand.view(EXAMPLE, checked).text());
      out.println();
      out.println("== braid plan " + EXAMPLE + " --agents " + agents);
      PlanCommand.print(out, checked, EXAMPLE, agents, OutputFormat.text);
      out.println();
      out.println(
          "== braid run "
              + EXAMPLE
              + " --agents "
              + agents
              + "   (each task done by a fake agent, no network)");
      out.flush();
      Path state = Places.stateDir(file);
      AgentWork agentWork = AgentWork.of(checked, null, System.getenv());
      RunService.Request request =
          new RunService.Request(
              checked,
              state,
              dir,
              agents,
              true,
              false,
              null,
              Duration.ofSeconds(1),
              null,
              Duration.ofSeconds(5),
              Isolation.NONE,
              agentWork,
              null,
              null,
              null,
              false);
      int code = RunCommand.execute(spec, request, plainOutput, false);
      out.println();
      out.println("== braid report");
      try (Store store = Store.openReadOnly(state)) {
        out.print(RunReport.from(store, store.runs().get(0)).text());
      }
      if (keep) {
        out.println();
        out.println("The scratch repository is kept: " + dir);
        out.println(
            "Try: cd " + dir + " && braid status && braid events && braid logs CART_API--T01");
      }
      return code;
    } finally {
      if (!keep) {
        deleteTree(dir);
      }
    }
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      Files.copy(in, to);
    }
  }

  private static void gitInit(Path dir) throws IOException, InterruptedException {
    Process git =
        new ProcessBuilder("git", "init", "-q", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (git.waitFor() != 0) {
      throw new UserException("git init failed in " + dir + " (is git installed?)");
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
