package dev.braid.cli;

import dev.braid.manifest.Places;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which state directory and which run a reading command looks at. */
final class RunSelection {

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "The state directory. Default: the plan's, else .braid/ at this repository's root.")
  Path stateDir;

  @Option(
      names = "--plan",
      paramLabel = "FILE",
      description =
          "Only the runs of this plan, in its state directory (default: any plan's runs).")
  Path plan;

  @Option(names = "--run", paramLabel = "RUN", description = "A run id (see `braid runs`).")
  String runId;

  Path stateDir() {
    if (plan != null && !Files.isRegularFile(plan)) {
      // else a mistyped plan would read as "no runs yet", or pick another plan's state directory
      throw new UserException("--plan " + plan + ": no such file");
    }
    if (stateDir != null) {
      return stateDir;
    }
    if (plan != null) {
      return Places.stateDir(plan);
    }
    for (String name : PlanFileOption.DEFAULT_NAMES) {
      Path p = Path.of(name);
      if (Files.isRegularFile(p)) {
        return Places.stateDir(p);
      }
    }
    return Places.stateDirHere();
  }

  /** The state, for reading; a clear message when there is none. */
  Store open() {
    return Store.openReadOnly(recordedStateDir());
  }

  /** The state directory, which holds runs: a clear message when it does not. */
  Path recordedStateDir() {
    Path dir = stateDir();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserException(dir + " is not a directory: --state-dir names the directory of runs");
    }
    if (!Files.isRegularFile(dir.resolve(Store.DB_FILE))) {
      throw new UserException("no runs recorded in " + dir + " yet (braid run PLAN starts one)");
    }
    return dir;
  }

  /** The runs {@code braid runs} lists: the plan's when --plan is given, newest first. */
  List<RunRecord> runs(Store store) {
    List<RunRecord> runs = store.runs();
    if (plan == null) {
      return runs;
    }
    String path = planPath();
    return runs.stream().filter(r -> r.manifestPath().equals(path)).toList();
  }

  /** The plan as runs record it. */
  private String planPath() {
    return plan.toAbsolutePath().normalize().toString();
  }

  /**
   * The run id given, as {@code RUN} or {@code --run}; null when neither. Both naming different
   * runs is an error: which one was meant cannot be told.
   */
  String runId(String positional) {
    if (positional != null && runId != null && !positional.equals(runId)) {
      throw new UserException(
          "two runs given: RUN " + positional + " and --run " + runId + "; give one");
    }
    return positional != null ? positional : runId;
  }

  /** The run asked for: by id, else the plan's latest, else the latest of all. */
  RunRecord run(Store store, String positional) {
    String id = runId(positional);
    if (id != null) {
      RunRecord run =
          store
              .run(id)
              .orElseThrow(
                  () ->
                      new UserException(
                          "no run '" + id + "' in " + store.stateDir() + " (see braid runs)"));
      if (plan != null && !run.manifestPath().equals(planPath())) {
        // else --plan would be silently ignored
        throw new UserException(
            "run " + id + " is a run of " + run.manifestPath() + ", not of --plan " + plan);
      }
      return run;
    }
    if (plan != null) {
      return store
          .latestRun(planPath())
          .orElseThrow(() -> new UserException("no run of " + plan + " in " + store.stateDir()));
    }
    List<RunRecord> runs = store.runs();
    if (runs.isEmpty()) {
      throw new UserException("no runs recorded in " + store.stateDir() + " yet");
    }
    return runs.get(0);
  }
}
