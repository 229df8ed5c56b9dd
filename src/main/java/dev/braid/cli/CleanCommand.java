package dev.braid.cli;

import dev.braid.git.CleanReport;
import dev.braid.git.GitException;
import dev.braid.git.Repository;
import dev.braid.store.LockedException;
import dev.braid.store.RunLock;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "clean",
    description =
        "Remove what runs left in git: task worktrees (failed tasks keep theirs) and task"
            + " branches, of one run or all. Integration branches go when one of your branches"
            + " holds their work, or with --branches.")
final class CleanCommand implements Callable<Integer> {

  @Mixin RunSelection selection = new RunSelection();

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run id.")
  String run;

  @Option(
      names = "--branches",
      description = "Delete integration branches braid/RUN even when their work is not landed.")
  boolean branches;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = selection.stateDir().toAbsolutePath().normalize();
    String runId = selection.runId(run);
    Repository repo;
    try {
      Path parent = dir.getParent();
      repo = Repository.open(parent != null && Files.isDirectory(parent) ? parent : Path.of(""));
    } catch (GitException e) {
      throw new UserException(e.getMessage());
    }
    RunLock lock = null;
    try {
      if (Files.isDirectory(dir)) {
        lock = Store.lock(dir);
      }
    } catch (LockedException e) {
      throw new UserException(e.getMessage() + "; clean once it has ended");
    }
    try {
      CleanReport r = repo.clean(dir.resolve("worktrees"), runId, branches);
      r.worktrees().forEach(p -> out.println("removed worktree " + p));
      r.deletedBranches().forEach(b -> out.println("deleted branch " + b));
      for (String b : r.kept()) {
        out.println(
            "kept "
                + b
                + ": its work is on no branch of yours (git merge "
                + b
                + " lands it; braid clean --branches deletes it)");
      }
      if (r.worktrees().isEmpty() && r.deletedBranches().isEmpty() && r.kept().isEmpty()) {
        if (runId != null && !recorded(dir, runId)) {
          // a mistyped id is not a run with nothing left: say so, as report and status do
          throw new UserException("no run '" + runId + "' in " + dir + " (see braid runs)");
        }
        out.println("nothing to clean");
      }
    } catch (GitException e) {
      throw new UserException(e.getMessage());
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
    return ExitCodes.OK;
  }

  /** Whether the state directory records run {@code runId}. */
  private static boolean recorded(Path dir, String runId) {
    if (!Files.isRegularFile(dir.resolve(Store.DB_FILE))) {
      return false;
    }
    try (Store store = Store.openReadOnly(dir)) {
      return store.run(runId).isPresent();
    }
  }
}
