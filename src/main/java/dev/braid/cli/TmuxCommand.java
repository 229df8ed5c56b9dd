package dev.braid.cli;

import dev.braid.observe.TmuxMonitor;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "tmux",
    description =
        "Open a tmux session with one pane per agent slot of a run (default: the latest), each"
            + " following the task in its slot; pane titles name the tasks.")
final class TmuxCommand implements Callable<Integer> {

  @Mixin RunSelection selection = new RunSelection();

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run id.")
  String runId;

  @Option(names = "--slot", hidden = true, description = "Follow one slot (what each pane runs).")
  Integer slot;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, String> env = System.getenv();
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = selection.open()) {
      RunRecord run = selection.run(store, runId);
      if (slot != null) {
        TmuxMonitor.follow(store, run.runId(), slot, out, env);
        return ExitCodes.OK;
      }
      Path tmux =
          TmuxMonitor.tmux(env)
              .orElseThrow(
                  () ->
                      new UserException(
                          "braid tmux needs tmux, which is not on PATH (apt install tmux, brew"
                              + " install tmux); braid run shows the same slots in its live view"));
      String session = TmuxMonitor.open(tmux, self(), store.stateDir(), run);
      if (!dev.braid.observe.Consoles.isTerminal()) {
        out.println("tmux session " + session + ": attach with  tmux attach -t " + session);
        return ExitCodes.OK;
      }
      boolean inside = env.containsKey("TMUX");
      Process p =
          new ProcessBuilder(
                  tmux.toString(), inside ? "switch-client" : "attach-session", "-t", session)
              .inheritIO()
              .start();
      return p.waitFor() == 0 ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }
  }

  /** How to start this Braid again: the same JVM and class path. */
  private static List<String> self() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseSerialGC",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName());
  }
}
