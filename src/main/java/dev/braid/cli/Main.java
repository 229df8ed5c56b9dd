package dev.braid.cli;

import dev.braid.agent.AgentException;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.ManifestException;
import dev.braid.run.SignalTrap;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point: parses flags, runs one command, maps the outcome to an exit code. */
@Command(
    name = "braid",
    // Inherited: `braid run --help` works like `braid help run`.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs a plan of development tasks in parallel, safely.")
public final class Main implements Runnable {

  /**
   * The subcommands, in the order help lists them. Added by {@link #run} rather than by the
   * annotation: picocli builds a command's model by reflection when it is added, and building all
   * of them took a quarter of a second of every start; a command line that names one gets only that
   * one.
   */
  private static final List<Class<?>> COMMANDS =
      List.of(
          ValidateCommand.class,
          AnalyzeCommand.class,
          PlanCommand.class,
          RunCommand.class,
          ConvertCommand.class,
          ExportCommand.class,
          StatusCommand.class,
          RunsCommand.class,
          ReportCommand.class,
          EventsCommand.class,
          LogsCommand.class,
          ResetCommand.class,
          CleanCommand.class,
          ScopesCommand.class,
          PromptCommand.class,
          DoctorCommand.class,
          TmuxCommand.class,
          DemoCommand.class,
          DashboardCommand.class,
          CommandLine.HelpCommand.class);

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces and more detail on errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
    standalone = true;
    // The store's driver loads on a second core while picocli reads the command line; the thread
    // ends by itself within milliseconds.
    Thread.ofPlatform().daemon().name("braid-preload").start(Store::preload);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** Runs Braid with injected writers; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    Class<?> named = commandNamed(args);
    for (Class<?> c : named == null ? COMMANDS : List.of(named)) {
      cli.addSubcommand(c);
    }
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
          int code = report(ex, err, main.verbose);
          err.flush();
          return code;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The subcommand the first word of {@code args} that is not an option names; null when there is
   * none, or it is {@code help} or unknown (then every command is needed, for help or for picocli's
   * suggestions).
   */
  private static Class<?> commandNamed(String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        continue;
      }
      for (Class<?> c : COMMANDS) {
        if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(a)) {
          return c;
        }
      }
      return null;
    }
    return null;
  }

  /** Prints an exception the way a user should see it and returns its exit code. */
  static int report(Exception ex, PrintWriter err, boolean verbose) {
    if (ex instanceof ManifestException m) {
      for (Diagnostic d : m.diagnostics()) {
        err.println(d);
      }
      long errors = m.diagnostics().stream().filter(Diagnostic::isError).count();
      err.println(errors + (errors == 1 ? " error" : " errors"));
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
