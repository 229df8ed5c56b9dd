package dev.braid.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a job runs: the user's shell code, or a program with its arguments. */
public sealed interface Command {

  /**
   * The user's command text: run directly when it has no shell syntax, else by {@code bash -c} (see
   * {@link Invocation}).
   */
  record Shell(String script) implements Command {
    public Shell {
      Objects.requireNonNull(script, "script");
      if (script.isBlank()) {
        throw new IllegalArgumentException("command is empty");
      }
    }
  }

  /**
   * A program and its arguments, never through a shell (an agent and its prompt), in its own
   * process group so that stopping it stops everything it started.
   *
   * @param argv the program (a bare name found on Braid's PATH, or a path) and its arguments
   * @param env variables it gets besides Braid's own (the job's {@code BRAID_*} ones win)
   * @param stdin the file standard input comes from, or null for {@code /dev/null}
   */
  record Exec(List<String> argv, Map<String, String> env, Path stdin) implements Command {
    public Exec {
      argv = List.copyOf(argv);
      env = Map.copyOf(env);
      if (argv.isEmpty() || argv.get(0).isBlank()) {
        throw new IllegalArgumentException("no program to run");
      }
    }
  }

  /** One line for people; arguments with blanks or quotes are single-quoted. */
  static String describe(Command c) {
    return switch (c) {
      case Shell s -> s.script();
      case Exec e ->
          String.join(
              " ",
              e.argv().stream()
                  .map(
                      a ->
                          !a.isEmpty()
                                  && a.chars()
                                      .noneMatch(ch -> ch <= ' ' || "'\"\\$`".indexOf(ch) >= 0)
                              ? a
                              : "'" + a.replace("'", "'\\''") + "'")
                  .toList());
    };
  }
}
