package dev.braid.run;

import java.util.List;
import java.util.Set;

/**
 * How a command string is run. Like make, a command with no shell syntax is split on blanks and
 * executed directly, saving a shell's start-up; anything else goes to {@code bash -c}.
 *
 * <p>A command needs the shell when it contains any of {@link #SHELL_CHARS} or a newline, or its
 * first word is a shell keyword or a builtin without an equivalent program ({@link #SHELL_WORDS}).
 * The set is deliberately wide: a false "needs shell" costs one exec of bash, a false "direct" runs
 * the wrong thing. It covers quoting ({@code ' " \}), expansion ({@code $ ` * ? [ ] ~ { } !}),
 * redirection and pipes ({@code < > |}), lists and grouping ({@code ; & ( )}), comments ({@code
 * #}), assignments ({@code =}, as in {@code FOO=1 cmd}) and {@code %} (job specs).
 */
sealed interface Invocation {

  String SHELL_CHARS = "|&;<>()$`\\\"'*?[]#~=%{}!\n\r";

  Set<String> SHELL_WORDS =
      Set.of(
          // keywords
          "if",
          "then",
          "else",
          "elif",
          "fi",
          "case",
          "esac",
          "for",
          "select",
          "while",
          "until",
          "do",
          "done",
          "function",
          "time",
          "coproc",
          // builtins that change the shell itself, or have no program of the same name
          ".",
          ":",
          "source",
          "alias",
          "unalias",
          "bg",
          "fg",
          "jobs",
          "disown",
          "wait",
          "break",
          "continue",
          "return",
          "exit",
          "logout",
          "cd",
          "pushd",
          "popd",
          "dirs",
          "eval",
          "exec",
          "export",
          "readonly",
          "declare",
          "typeset",
          "local",
          "let",
          "set",
          "unset",
          "shift",
          "shopt",
          "trap",
          "ulimit",
          "umask",
          "hash",
          "type",
          "command",
          "builtin",
          "enable",
          "getopts",
          "read",
          "mapfile",
          "readarray",
          "history",
          "fc",
          "caller",
          "complete",
          "compgen",
          "compopt",
          "suspend",
          "times",
          "help");

  /** Executed as-is: {@code argv[0]} is found on Braid's {@code PATH}. */
  record Direct(List<String> argv) implements Invocation {
    public Direct {
      argv = List.copyOf(argv);
    }
  }

  /** Run by {@code bash -c script}. */
  record Shell(String script) implements Invocation {}

  static Invocation of(String command) {
    for (int i = 0; i < command.length(); i++) {
      if (SHELL_CHARS.indexOf(command.charAt(i)) >= 0) {
        return new Shell(command);
      }
    }
    List<String> words = words(command);
    if (SHELL_WORDS.contains(words.get(0))) {
      return new Shell(command);
    }
    return new Direct(words);
  }

  /** The words of a command without shell syntax, split at blanks (no regex: once per launch). */
  private static List<String> words(String command) {
    List<String> words = new java.util.ArrayList<>(4);
    int n = command.length();
    int i = 0;
    while (i < n) {
      while (i < n && (command.charAt(i) == ' ' || command.charAt(i) == '\t')) {
        i++;
      }
      int start = i;
      while (i < n && command.charAt(i) != ' ' && command.charAt(i) != '\t') {
        i++;
      }
      if (i > start) {
        words.add(command.substring(start, i));
      }
    }
    return words.isEmpty() ? List.of("") : words;
  }
}
