package dev.braid.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one agent on one task: a program and its arguments (never a shell string), extra
 * environment, and the file its standard input comes from. When {@code stdin} is null the agent
 * must get an empty, closed input ({@code /dev/null}), so an agent that asks a question cannot wait
 * forever.
 *
 * @param argv the program (a bare name found on PATH, or an absolute path) and its arguments
 * @param env variables added to Braid's environment
 * @param stdin the file to read standard input from, or null for {@code /dev/null}
 * @param promptFile where the rendered prompt was written (kept for people and logs)
 */
public record AgentLaunch(
    String profile,
    List<String> argv,
    Map<String, String> env,
    Path stdin,
    Path promptFile,
    ParserKind parser) {

  public AgentLaunch {
    Objects.requireNonNull(profile, "profile");
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty");
    }
    env = Map.copyOf(env);
    Objects.requireNonNull(promptFile, "promptFile");
    Objects.requireNonNull(parser, "parser");
  }
}
