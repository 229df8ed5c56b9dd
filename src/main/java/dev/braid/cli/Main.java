package dev.braid.cli;

import dev.braid.agent.AgentException;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.observe.Numbers;
import dev.braid.run.RunService;
import dev.braid.run.SignalTrap;
import dev.braid.store.Store;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * Entry point: parses flags, runs one command, maps the outcome to an exit code. The top command
 * and {@code run} are declared with picocli's programmatic API, the others by annotations, which
 * cost ~50 ms of reflection each start (see {@link SharedOptions}); a command line that names one
 * command gets only that one.
 */
public final class Main implements Runnable {

  /** A subcommand: its name, and what picocli takes to add it (an annotated class, or a model). */
  record Sub(String name, Supplier<Object> command) {}

  /** The subcommands, in the order help lists them. */
  static final List<Sub> COMMANDS =
      List.of(
          new Sub("validate", () -> ValidateCommand.class),
          new Sub("analyze", () -> AnalyzeCommand.class),
          new Sub("plan", () -> PlanCommand.class),
          new Sub("run", () -> new RunCommand().spec()),
          new Sub("convert", () -> ConvertCommand.class),
          new Sub("export", () -> ExportCommand.class),
          new Sub("status", () -> StatusCommand.class),
          new Sub("runs", () -> RunsCommand.class),
          new Sub("report", () -> ReportCommand.class),
          new Sub("events", () -> EventsCommand.class),
          new Sub("logs", () -> LogsCommand.class),
          new Sub("reset", () -> ResetCommand.class),
          new Sub("clean", () -> CleanCommand.class),
          new Sub("scopes", () -> ScopesCommand.class),
          new Sub("prompt", () -> PromptCommand.class),
          new Sub("doctor", () -> DoctorCommand.class),
          new Sub("tmux", () -> TmuxCommand.class),
          new Sub("demo", () -> DemoCommand.class),
          new Sub("dashboard", () -> DashboardCommand.class),
          new Sub("completion", () -> CompletionCommand.class),
          new Sub("help", () -> CommandLine.HelpCommand.class));

  private final OptionSpec verbose =
      SharedOptions.flagBuilder(
              "Show stack traces and more detail on errors; with run, why the JDK starts the"
                  + " tasks when braid-spawn does not.",
              "--verbose")
          .scopeType(ScopeType.INHERIT)
          .build();

  /**
   * {@code -h} and {@code -V}, on every command but {@code help}, which has its own {@code -h}:
   * added to each subcommand by {@link #run}, as picocli's inherited options are.
   */
  private final List<OptionSpec> standard =
      List.of(
          OptionSpec.builder("-h", "--help")
              .usageHelp(true)
              .description("Show this help message and exit.")
              .build(),
          OptionSpec.builder("-V", "--version")
              .versionHelp(true)
              .description("Print version information and exit.")
              .build());

  private final CommandSpec spec;

  private Main() {
    // Inherited by the subcommands: the version provider (`braid run --version`) and --verbose.
    spec =
        CommandSpec.wrapWithoutInspection(this)
            .name("braid")
            .versionProvider(new Version())
            .scopeType(ScopeType.INHERIT);
    spec.usageMessage().description("Runs a plan of development tasks in parallel, safely.");
    standard.forEach(spec::addOption);
    spec.addOption(verbose);
  }

  private boolean verbose() {
    return SharedOptions.isSet(verbose);
  }

  /**
   * Where Ctrl-C and SIGTERM go: trapped for real only when Braid runs as its own process ({@link
   * #main}); in-process callers (tests, embedders) keep their JVM's signals.
   */
  private static volatile boolean standalone;

  private static SignalTrap signals;

  /** The trap for a run; installed on first use, so other commands keep the default signals. */
  static synchronized SignalTrap signals() {
    if (signals == null) {
      signals = standalone ? SignalTrap.system() : SignalTrap.none();
    }
    return signals;
  }

  public static void main(String[] args) {
    System.exit(standalone(args));
  }

  /**
   * Runs Braid as its own process would, signals included, on this JVM's standard streams; returns
   * the exit code. {@link #main}, and {@link Training} several times over.
   */
  static int standalone(String... args) {
    standalone = true;
    Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
    // The store's driver (~30 ms, most of it sqlite-jdbc's date formats), the manifest readers and
    // the run's digests load on the other core while this one reads the command line; the threads
    // end by themselves within milliseconds.
    Thread.ofPlatform().daemon().name("braid-preload-store").start(Store::preload);
    Thread.ofPlatform().daemon().name("braid-preload").start(Main::preload);
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(new StandardOutput(), System.out.charset()), true);
    PrintWriter err = new PrintWriter(System.err, true);
    try {
      return run(out, err, args);
    } catch (StandardOutput.Failed e) {
      return outputFailed(e, err); // in picocli's own printing (help, usage)
    } catch (OutOfMemoryError e) {
      // Unwound by now, so there is room to say so: a plan too large for the heap (millions of
      // conflicting pairs, say) is the user's to size, not a crash to report.
      err.println(outOfMemory());
      return ExitCodes.INTERNAL_ERROR;
    }
  }

  private static String outOfMemory() {
    return "braid: out of memory (a heap of "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MiB); give Braid more with BRAID_JAVA_OPTS=-Xmx4g, for example";
  }

  /**
   * What no code of a thread other than main caught. Out of memory there (a task's output reader, a
   * dashboard request, a hash thread) is what it is on main, the user's heap to size: said the same
   * way, and the process ends with the same code, since whatever that thread was doing for the
   * command is lost (a run's tasks go with it, as with a killed runner). Anything else is a bug,
   * reported as the JVM does.
   */
  private static void uncaught(Thread thread, Throwable e) {
    if (!(e instanceof OutOfMemoryError)) {
      System.err.print("Exception in thread \"" + thread.getName() + "\" ");
      e.printStackTrace(System.err);
      return;
    }
    System.err.println(outOfMemory());
    System.err.flush();
    Runtime.getRuntime().exit(ExitCodes.INTERNAL_ERROR);
  }

  /** Class loading and initialization that most commands need besides the store's. */
  private static void preload() {
    ManifestReader.preload();
    RunService.preload();
  }

  /** Runs Braid with injected writers; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Main main = new Main();
    CommandLine cli = main.commandLine(commandsFor(args));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          err.println("braid: " + ex.getMessage());
          String name = ex.getCommandLine().getCommandSpec().qualifiedName();
          err.println("Try '" + name + " --help' for more information.");
          return ExitCodes.INVALID_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          int code = report(ex, err, main.verbose());
          err.flush();
          return code;
        });
    int code = cli.execute(args);
    try {
      out.flush();
    } catch (StandardOutput.Failed e) {
      // The last buffered lines of a command that did what it should were lost: no success. A
      // failed command's own code says more, and a run that went on without its output reports
      // how the run went.
      if (code == ExitCodes.OK && !e.tolerated()) {
        code = outputFailed(e, err);
      }
    }
    err.flush();
    return code;
  }

  /**
   * Standard output failed under the command. Its reader gone (EPIPE: {@code braid ... | head}) is
   * the usual end of a pipeline, said by no word, as git and the C tools SIGPIPE ends say none;
   * anything else (a full disk) loses output, which must not pass for success.
   */
  static int outputFailed(StandardOutput.Failed e, PrintWriter err) {
    if (e.brokenPipe()) {
      return ExitCodes.OUTPUT_CLOSED;
    }
    err.println("braid: cannot write to standard output: " + e.getMessage());
    return ExitCodes.OUTPUT_FAILED;
  }

  /** The command line with {@code subs}, each with the standard options. */
  private CommandLine commandLine(List<Sub> subs) {
    CommandLine cli = new CommandLine(spec);
    for (Sub c : subs) {
      Object command = c.command().get();
      // Built by the public constructor, which applies a command's model transformer (its shared
      // options); picocli's addSubcommand(Class) would not.
      cli.addSubcommand(c.name(), command instanceof Class<?> k ? new CommandLine(k) : command);
      if (!c.name().equals("help")) {
        CommandSpec sub = cli.getSubcommands().get(c.name()).getCommandSpec();
        standard.forEach(o -> sub.addOption(OptionSpec.builder(o).inherited(true).build()));
      }
    }
    return cli;
  }

  /** Every command, as help lists them: for {@code braid completion}. */
  static CommandLine everyCommand() {
    return new Main().commandLine(COMMANDS);
  }

  /**
   * The subcommands {@code args} need: the one the first word that is not an option names; none for
   * a lone {@code --version}; else all of them ({@code help}, an unknown word, or no word: for help
   * and for picocli's suggestions).
   */
  private static List<Sub> commandsFor(String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        continue;
      }
      for (Sub c : COMMANDS) {
        if (!c.name().equals("help") && c.name().equals(a)) {
          return List.of(c);
        }
      }
      return COMMANDS;
    }
    return List.of(args).equals(List.of("--version")) || List.of(args).equals(List.of("-V"))
        ? List.of()
        : COMMANDS;
  }

  /** Prints an exception the way a user should see it and returns its exit code. */
  static int report(Exception ex, PrintWriter err, boolean verbose) {
    StandardOutput.Failed failed = StandardOutput.Failed.in(ex);
    if (failed != null) {
      return outputFailed(failed, err);
    }
    for (Throwable c = ex; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        // on a thread that handed it on: a run's turn on the thread that read a task's end
        err.println(outOfMemory());
        if (verbose) {
          ex.printStackTrace(err);
        }
        return ExitCodes.INTERNAL_ERROR;
      }
    }
    if (ex instanceof ManifestException m) {
      for (Diagnostic d : m.diagnostics()) {
        err.println(d);
      }
      long errors = m.diagnostics().stream().filter(Diagnostic::isError).count();
      err.println(Numbers.count(errors, "error"));
      if (verbose) {
        ex.printStackTrace(err);
      }
      return ExitCodes.INVALID_INPUT;
    }
    if (ex instanceof AgentException a) {
      err.println("braid: " + a.getMessage());
      if (verbose) {
        ex.printStackTrace(err);
      }
      return ExitCodes.INVALID_INPUT;
    }
    if (ex instanceof UserException u) {
      err.println("braid: " + u.getMessage());
      if (verbose) {
        ex.printStackTrace(err);
      }
      return u.exitCode();
    }
    if (ex instanceof dev.braid.store.StoreException s) {
      err.println("braid: " + s.getMessage());
      if (verbose) {
        ex.printStackTrace(err);
      }
      return ExitCodes.INVALID_INPUT;
    }
    err.println("braid: internal error: " + ex);
    if (verbose) {
      ex.printStackTrace(err);
    } else {
      err.println("Run again with --verbose for the stack trace, and please report it.");
    }
    return ExitCodes.INTERNAL_ERROR;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing command (validate, analyze, plan, run, status, runs, report, events, logs, reset,"
            + " prompt, doctor, tmux, convert, export, demo, dashboard)");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"braid " + (v == null ? "dev" : v)};
    }
  }
}
