package dev.braid.cli;

import static dev.braid.cli.SharedOptions.flag;
import static dev.braid.cli.SharedOptions.isSet;
import static dev.braid.cli.SharedOptions.valued;

import dev.braid.analysis.CheckedPlan;
import dev.braid.git.MergeStrategy;
import dev.braid.manifest.Checkpoint;
import dev.braid.manifest.Durations;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.Places;
import dev.braid.manifest.Task;
import dev.braid.manifest.WriteBack;
import dev.braid.observe.AgentsView;
import dev.braid.observe.Consoles;
import dev.braid.observe.dashboard.DashboardServer;
import dev.braid.plan.Recommendation;
import dev.braid.plan.TaskGraph;
import dev.braid.run.AgentWork;
import dev.braid.run.Checkpoints;
import dev.braid.run.Isolation;
import dev.braid.run.RunService;
import dev.braid.run.WriteBackListener;
import dev.braid.store.LockedException;
import dev.braid.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code braid run}, declared with picocli's programmatic API: the command every benchmark and
 * every agent session starts, so it is built without reading annotations (see {@link
 * SharedOptions}). Each instance serves one command line.
 */
final class RunCommand implements Callable<Integer> {

  private final PlanFileOption plan = new PlanFileOption();

  private final CommandOption command = new CommandOption();

  private final DashboardOptions dashboardOptions = new DashboardOptions();

  private final OptionSpec noWriteBack =
      flag(
          "Do not mark succeeded tasks done in a tasks.md, tasks.json or checklist plan file.",
          "--no-write-back");

  private final OptionSpec agents =
      valued(
              Integer.class,
              "N",
              "Tasks at once. Default: the plan's recommendation, at most the CPU count.",
              "-j",
              "--agents")
          .build();

  private final OptionSpec stateDir =
      valued(
              Path.class,
              "DIR",
              "Where runs are recorded. Default: .braid/ at the repository root or beside the"
                  + " plan.",
              "--state-dir")
          .build();

  private final OptionSpec fresh = flag("Start a new run instead of resuming.", "--fresh");

  private final OptionSpec failFast =
      flag("On the first failure, stop starting tasks and stop the running ones.", "--fail-fast");

  private final OptionSpec maxLoad =
      valued(
              Double.class,
              "L",
              "Hold back new starts while the 1-minute load average is above L (one task at a time"
                  + " then).",
              "--max-load")
          .build();

  private final OptionSpec retryBackoff =
      valued(
              String.class,
              "DURATION",
              "Wait before the first retry, doubled for each next one (default: 1s).",
              "--retry-backoff")
          .defaultValue("1s")
          .build();

  private final OptionSpec idleTimeout =
      valued(
              String.class,
              "DURATION",
              "Stop a task that prints nothing for this long.",
              "--idle-timeout")
          .build();

  private final OptionSpec killGrace =
      valued(
              String.class,
              "DURATION",
              "Between TERM and KILL when a task is stopped (default: 5s).",
              "--kill-grace")
          .defaultValue("5s")
          .build();

  private final OptionSpec agent =
      valued(
              String.class,
              "NAME",
              "Agent for tasks that have neither command nor agent (e.g. claude).",
              "--agent")
          .build();

  private final OptionSpec maxCost =
      valued(
              Double.class,
              "USD",
              "Stop starting tasks once the agents' reported cost reaches this many dollars.",
              "--max-cost")
          .build();

  private final OptionSpec dryRun =
      flag(
          "Print the command of every task a run would run, and each agent task's prompt, without"
              + " running: when it would resume a run, which one and why each task runs again.",
          "--dry-run");

  // AUTO is what no --isolation means (worktree in a repository with a commit, else none), not a
  // value to give: the choices are the documented ones.
  private static final Choice<Isolation.Mode> ISOLATIONS =
      new Choice<>("isolation mode", List.of(Isolation.Mode.WORKTREE, Isolation.Mode.NONE));

  private static final Choice<MergeStrategy> MERGES =
      new Choice<>("merge strategy", List.of(MergeStrategy.values()));

  private static final Choice<Isolation.OnConflict> ON_CONFLICT =
      new Choice<>("conflict policy", List.of(Isolation.OnConflict.values()));

  private static final Choice<Checkpoints.OnFail> ON_CHECKPOINT_FAIL =
      new Choice<>("checkpoint policy", List.of(Checkpoints.OnFail.values()));

  private final OptionSpec isolation =
      valued(
              Isolation.Mode.class,
              "MODE",
              "worktree: each task in its own git worktree and branch, merged back when it succeeds"
                  + " (the default inside a git repository with a commit); none: every task in the"
                  + " repository itself.",
              "--isolation")
          .initialValue(Isolation.Mode.AUTO)
          .converters(ISOLATIONS)
          .completionCandidates(ISOLATIONS)
          .build();

  private final OptionSpec merge =
      valued(
              MergeStrategy.class,
              "STRATEGY",
              "How task work enters the integration branch: merge (a merge commit per task, the"
                  + " default), squash (one commit per task) or rebase (linear history).",
              "--merge")
          .initialValue(MergeStrategy.MERGE)
          .converters(MERGES)
          .completionCandidates(MERGES)
          .build();

  private final OptionSpec onConflict =
      valued(
              Isolation.OnConflict.class,
              "POLICY",
              "When a task's work would conflict: retry (the default: run it again, alone, on the"
                  + " current integration head), stop (fail it, start nothing new) or skip (fail it,"
                  + " go on).",
              "--on-conflict")
          .initialValue(Isolation.OnConflict.RETRY)
          .converters(ON_CONFLICT)
          .completionCandidates(ON_CONFLICT)
          .build();

  private final OptionSpec strictScope =
      flag(
          "Fail a task that changes files outside its file_scope (default: report it).",
          "--strict-scope");

  private final OptionSpec land =
      flag(
          "When every task succeeded, merge the integration branch into the branch the run"
              + " started from (fast-forward when possible); exit 3 when it cannot.",
          "--land");

  private final OptionSpec stash =
      flag(
          "Stash uncommitted changes of tracked files for the run (default: refuse to start),"
              + " and restore them at the end. The plan file stays: its done marks go there.",
          "--stash");

  private final OptionSpec checkpointCommand =
      valued(
              String.class,
              "CMD",
              "Integration checkpoint: run CMD (bash -c) on the integration branch, as the plan's"
                  + " checkpoint does; replaces the plan's command.",
              "--checkpoint")
          .build();

  private final OptionSpec checkpointAfter =
      valued(
              String.class,
              "WHEN",
              "When the checkpoint runs: wave (after each wave, the default), each (after every"
                  + " merge), end, or N (every N merges); replaces the plan's.",
              "--checkpoint-after")
          .build();

  private final OptionSpec onCheckpointFail =
      valued(
              Checkpoints.OnFail.class,
              "POLICY",
              "When a checkpoint fails: stop (the default: start no more tasks, let the running ones"
                  + " finish, fail the run), continue (report it and go on) or revert (revert the"
                  + " merge that broke it and those built on it, fail those tasks, and go on once the"
                  + " checkpoint passes again; needs worktree isolation).",
              "--on-checkpoint-fail")
          .initialValue(Checkpoints.OnFail.STOP)
          .converters(ON_CHECKPOINT_FAIL)
          .completionCandidates(ON_CHECKPOINT_FAIL)
          .build();

  private final OptionSpec plainOutput = flag("Plain lines instead of the live view.", "--plain");

  private final OptionSpec quiet =
      flag("Do not echo task output (it is still in each task's log).", "-q", "--quiet");

  private final OptionSpec dashboard =
      flag(
          "Serve the web dashboard while the run lasts, and print its address (see --port,"
              + " --host, --token). It stops when the run ends; `braid dashboard` shows the run"
              + " afterwards.",
          "--dashboard");

  private final CommandSpec spec;

  RunCommand() {
    spec =
        CommandSpec.wrapWithoutInspection(this)
            .name("run")
            .addMixin("PlanFileOption", plan.mixin())
            .addMixin("CommandOption", command.mixin());
    for (OptionSpec o :
        List.of(
            noWriteBack,
            agents,
            stateDir,
            fresh,
            failFast,
            maxLoad,
            retryBackoff,
            idleTimeout,
            killGrace,
            agent,
            maxCost,
            dryRun,
            isolation,
            merge,
            onConflict,
            strictScope,
            land,
            stash,
            checkpointCommand,
            checkpointAfter,
            onCheckpointFail,
            plainOutput,
            quiet,
            dashboard)) {
      spec.addOption(o);
    }
    spec.addMixin("DashboardOptions", dashboardOptions.mixin());
    spec.usageMessage()
        .description(
            "Run the plan: as many tasks at once as is safe, dependencies first, conflicting tasks"
                + " never side by side. Resumes the plan's unfinished run unless --fresh.");
  }

  /** The command's model, to add to the top command. */
  CommandSpec spec() {
    return spec;
  }

  private Isolation isolation() {
    return new Isolation(
        isolation.getValue(),
        merge.getValue(),
        onConflict.getValue(),
        isSet(strictScope),
        isSet(land),
        isSet(stash));
  }

  @Override
  public Integer call() throws ManifestException, InterruptedException {
    Integer agents = this.agents.getValue();
    Double maxLoad = this.maxLoad.getValue();
    Double maxCost = this.maxCost.getValue();
    String idleTimeout = this.idleTimeout.getValue();
    Path stateDir = this.stateDir.getValue();
    if (agents != null && agents < 1) {
      throw new UserException("--agents must be at least 1, got " + agents);
    }
    if (maxLoad != null && !(maxLoad > 0)) {
      throw new UserException("--max-load must be positive, got " + maxLoad);
    }
    Duration backoff = duration("--retry-backoff", retryBackoff.getValue(), true);
    Duration idle = idleTimeout == null ? null : duration("--idle-timeout", idleTimeout, false);
    Duration grace = duration("--kill-grace", killGrace.getValue(), true);
    if (maxCost != null && !(maxCost > 0)) {
      throw new UserException("--max-cost must be a positive number of dollars, got " + maxCost);
    }
    Path file = plan.resolve();
    CheckedPlan checked = plan.load(command.command());
    Checkpoint checkpoint = checkpoint(checked.manifest().checkpoint());
    AgentWork agentWork = AgentWork.of(checked, agent.getValue(), System.getenv());
    agentWork.warnings().forEach(spec.commandLine().getErr()::println);
    if (isSet(dryRun)) {
      try {
        RunService.requireSomethingToRun(checked, agentWork, Task::command);
      } catch (RunService.RefusedException e) {
        throw new UserException(e.getMessage());
      }
      Path state = stateDir != null ? stateDir : Places.stateDir(file);
      try {
        // a real run takes the lock before anything else, and refuses while another holds it
        Store.requireUnlocked(state);
      } catch (LockedException e) {
        throw new UserException(e.getMessage());
      }
      Optional<RunService.Resume> resume =
          RunService.wouldResume(checked, state, Places.workDir(file), isSet(fresh), isolation());
      spec.commandLine()
          .getOut()
          .print(AgentsView.dryRun(agentWork.preview(), resume.orElse(null)));
      List<String> missing = agentWork.notInstalled(System.getenv());
      if (!missing.isEmpty()) {
        // the preview is still worth having (on another machine, say); the run would refuse
        spec.commandLine()
            .getErr()
            .println(
                "braid: a real run would not start here: "
                    + String.join("\n", missing)
                    + "\n`braid doctor` checks the agents");
      }
      return ExitCodes.OK;
    }
    agentWork.requireInstalled(System.getenv());
    // Marks succeeded tasks done in a tasks.md, tasks.json or checklist; none for Braid's own.
    WriteBack writeBack = WriteBack.none();
    if (!isSet(noWriteBack)) {
      try {
        writeBack = WriteBack.open(file, plan.format());
      } catch (IOException e) {
        throw new UserException("cannot read " + file + ": " + e.getMessage());
      }
    }
    int n = agents != null ? agents : defaultAgents(checked);
    Path state = stateDir != null ? stateDir : Places.stateDir(file);
    RunService.Request request =
        new RunService.Request(
            checked,
            state,
            Places.workDir(file),
            n,
            isSet(fresh),
            isSet(failFast),
            maxLoad,
            backoff,
            idle,
            grace,
            isolation(),
            agentWork,
            maxCost,
            checkpoint,
            onCheckpointFail.getValue(),
            SharedOptions.isSet(spec.root().findOption("--verbose")));
    boolean plainOutput = isSet(this.plainOutput);
    boolean quiet = isSet(this.quiet);
    if (!isSet(dashboard)) {
      return execute(spec, request, plainOutput, quiet, writeBack);
    }
    var out = Output.lenient(spec.commandLine().getOut());
    try (DashboardServer server = dashboardOptions.start(state)) {
      out.println("braid: dashboard at " + server.url());
      out.flush();
      return execute(spec, request, plainOutput, quiet, writeBack);
    } finally {
      out.println("braid: dashboard stopped; `braid dashboard` serves this run again");
      out.flush();
    }
  }

  /** Runs a request with the console the terminal allows; returns the exit code. */
  static int execute(
      picocli.CommandLine.Model.CommandSpec spec,
      RunService.Request request,
      boolean plain,
      boolean quietOutput)
      throws InterruptedException {
    return execute(spec, request, plain, quietOutput, WriteBack.none());
  }

  /** The same, marking each task that succeeds done in its plan file. */
  static int execute(
      picocli.CommandLine.Model.CommandSpec spec,
      RunService.Request request,
      boolean plain,
      boolean quietOutput,
      WriteBack writeBack)
      throws InterruptedException {
    Clock clock = Clock.systemUTC();
    var out = Output.lenient(spec.commandLine().getOut());
    RunService.Outcome outcome;
    try (Consoles.Console console = Consoles.forRun(out, plain, !quietOutput, clock)) {
      outcome =
          new RunService(clock)
              .run(request, new WriteBackListener(console, writeBack), Main.signals());
    } catch (LockedException e) {
      throw new UserException(e.getMessage());
    } catch (RunService.RefusedException e) {
      throw new UserException(e.getMessage());
    }
    if (outcome.summary() == null) {
      out.println("braid: " + outcome.nothingToDo());
      return ExitCodes.OK;
    }
    return switch (outcome.summary().status()) {
      case SUCCEEDED -> outcome.notLanded() ? ExitCodes.NOT_LANDED : ExitCodes.OK;
      case FAILED -> ExitCodes.TASK_FAILED;
      case INTERRUPTED -> ExitCodes.INTERRUPTED;
    };
  }

  /** The plan's checkpoint with {@code --checkpoint} and {@code --checkpoint-after} applied. */
  private Checkpoint checkpoint(Checkpoint planned) {
    String checkpointAfter = this.checkpointAfter.getValue();
    String checkpointCommand = this.checkpointCommand.getValue();
    Checkpoint.After when = planned != null ? planned.after() : new Checkpoint.After.Wave();
    if (checkpointAfter != null) {
      when =
          Checkpoint.After.parse(checkpointAfter)
              .orElseThrow(
                  () ->
                      new UserException(
                          "--checkpoint-after must be wave, each, end or a positive number of"
                              + " merges, got "
                              + checkpointAfter));
    }
    String cmd =
        checkpointCommand != null ? checkpointCommand : planned != null ? planned.command() : null;
    if (cmd == null) {
      if (checkpointAfter != null) {
        throw new UserException(
            "--checkpoint-after needs a checkpoint: --checkpoint CMD or the plan's");
      }
      return null;
    }
    if (cmd.isBlank()) {
      throw new UserException("--checkpoint must not be empty");
    }
    return new Checkpoint(cmd, when);
  }

  static int defaultAgents(CheckedPlan checked) {
    int recommended = Recommendation.of(TaskGraph.of(checked)).agents();
    return Math.max(1, Math.min(recommended, Runtime.getRuntime().availableProcessors()));
  }

  private static Duration duration(String flag, String text, boolean zeroOk) {
    Duration d =
        Durations.parse(text)
            .orElseThrow(
                () ->
                    new UserException(
                        flag + ": not a duration: '" + text + "' (try 90s, 10m, 1h30m, 500ms)"));
    if (d.isNegative() || (!zeroOk && d.isZero())) {
      throw new UserException(flag + " must be positive, got " + text);
    }
    return d;
  }
}
