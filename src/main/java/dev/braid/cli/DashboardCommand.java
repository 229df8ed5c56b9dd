package dev.braid.cli;

import dev.braid.observe.dashboard.DashboardServer;
import dev.braid.run.SignalTrap;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(
    name = "dashboard",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Serve the state directory's runs in a browser: live timeline, plan graph, task logs and"
            + " history. Runs until Ctrl-C.")
final class DashboardCommand implements Callable<Integer>, SharedOptions.User {

  @Mixin RunSelection selection = new RunSelection();

  final DashboardOptions options = new DashboardOptions();

  @Override
  public List<SharedOptions> sharedOptions() {
    return List.of(options);
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = selection.stateDir();
    if (!Files.isDirectory(dir)) {
      throw new UserException("no Braid state in " + dir + " (braid run PLAN creates it)");
    }
    String fragment = "";
    if (selection.runId != null || selection.plan != null) {
      try (Store store = selection.open()) {
        fragment = "#run=" + selection.run(store, null).runId();
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    SignalTrap.Registration trapped = Main.signals().onInterrupt(stop::countDown);
    try (DashboardServer server = options.start(dir)) {
      out.println("braid: dashboard at " + server.url() + fragment + "  (Ctrl-C stops it)");
      if (!Files.isRegularFile(dir.resolve(Store.DB_FILE))) {
        out.println(
            "braid: no runs in " + dir + " yet; the page shows the first one when it starts");
      }
      out.flush();
      stop.await();
    } finally {
      trapped.close();
    }
    return ExitCodes.OK;
  }
}
