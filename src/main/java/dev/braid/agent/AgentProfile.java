package dev.braid.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run one agent CLI: its command template, how the prompt reaches it, extra environment and
 * arguments, and how to read what it prints.
 *
 * @param command the program and its arguments; an argument may contain {@code {prompt}} (the
 *     prompt's text) or {@code {prompt_file}} (the path of a file holding it). The program is a
 *     bare name looked up on PATH or an absolute path.
 * @param extraArgs appended after the command (and before a prompt appended for lack of a
 *     placeholder)
 * @param versionArgs arguments that print the version cheaply ({@code --version}); empty when
 *     unknown, and then {@code braid doctor} does not run the program
 * @param origin where the profile was declared, for messages: {@code built in}, a file name
 * @param installHint how to install the program, or null
 */
public record AgentProfile(
    String name,
    List<String> command,
    PromptVia promptVia,
    Map<String, String> env,
    List<String> extraArgs,
    ParserKind parser,
    List<String> versionArgs,
    String origin,
    String installHint) {

  public static final String PROMPT = "{prompt}";
  public static final String PROMPT_FILE = "{prompt_file}";

  /**
   * Longest single argument Linux accepts (MAX_ARG_STRLEN, 32 pages, counting the terminating NUL);
   * a longer prompt must go through stdin or a file.
   */
  public static final int MAX_ARGUMENT_BYTES = 128 * 1024 - 1;

  public AgentProfile {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException("agent " + name + " has no command");
    }
    Objects.requireNonNull(promptVia, "promptVia");
    env = Map.copyOf(env);
    extraArgs = List.copyOf(extraArgs);
    Objects.requireNonNull(parser, "parser");
    versionArgs = List.copyOf(versionArgs);
    Objects.requireNonNull(origin, "origin");
  }

  /** The program: {@code claude}, {@code /opt/bin/my-agent}. */
  public String program() {
    return command.get(0);
  }

  /**
   * Writes {@code prompt} to {@code promptFile} and builds the launch. The prompt reaches the agent
   * only as one whole argument, a file path, or standard input: never through a shell.
   *
   * @throws AgentException when the prompt is too long for one argument
   */
  public AgentLaunch launch(String prompt, Path promptFile) throws IOException {
    Objects.requireNonNull(prompt, "prompt");
    if (promptFile.getParent() != null) {
      Files.createDirectories(promptFile.getParent());
    }
    Files.writeString(promptFile, prompt, StandardCharsets.UTF_8);
    String file = promptFile.toAbsolutePath().toString();
    List<String> argv = new ArrayList<>(command.size() + extraArgs.size() + 1);
    boolean placed = false;
    for (String arg : command) {
      placed |= arg.contains(PROMPT) || arg.contains(PROMPT_FILE);
      argv.add(substitute(arg, prompt, file));
    }
    argv.addAll(extraArgs);
    if (!placed) {
      switch (promptVia) {
        case ARGUMENT -> argv.add(prompt);
        case FILE -> argv.add(file);
        case STDIN -> {}
      }
    }
    for (String arg : argv) {
      int bytes = arg.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_ARGUMENT_BYTES) {
        throw new AgentException(
            "agent '"
                + name
                + "': the prompt makes an argument of "
                + bytes
                + " bytes, more than the "
                + MAX_ARGUMENT_BYTES
                + " one argument can carry; set prompt_via: stdin or file for this agent, or"
                + " shorten related_specs");
      }
    }
    return new AgentLaunch(
        name, argv, env, promptVia == PromptVia.STDIN ? promptFile : null, promptFile, parser);
  }

  /** Replaces the placeholders in one pass, so a prompt containing "{prompt_file}" stays as is. */
  private static String substitute(String arg, String prompt, String file) {
    if (arg.indexOf('{') < 0) {
      return arg;
    }
    StringBuilder out = new StringBuilder(arg.length());
    int i = 0;
    while (i < arg.length()) {
      if (arg.startsWith(PROMPT_FILE, i)) {
        out.append(file);
        i += PROMPT_FILE.length();
      } else if (arg.startsWith(PROMPT, i)) {
        out.append(prompt);
        i += PROMPT.length();
      } else {
        out.append(arg.charAt(i++));
      }
    }
    return out.toString();
  }

  /** One line for people: {@code claude -p {prompt} --output-format stream-json ...}. */
  public String commandLine() {
    List<String> all = new ArrayList<>(command);
    all.addAll(extraArgs);
    String line = String.join(" ", all.stream().map(AgentProfile::quoted).toList());
    // where launch() puts the prompt when the command names no placeholder
    if (command.stream().anyMatch(a -> a.contains(PROMPT) || a.contains(PROMPT_FILE))) {
      return line;
    }
    return switch (promptVia) {
      case ARGUMENT -> line + " " + PROMPT;
      case FILE -> line + " " + PROMPT_FILE;
      case STDIN -> line + " < " + PROMPT_FILE;
    };
  }

  private static String quoted(String arg) {
    if (!arg.isEmpty()
        && arg.chars().allMatch(c -> c > ' ' && "'\"\\$`;&|<>()*?[]#~".indexOf(c) < 0)) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
