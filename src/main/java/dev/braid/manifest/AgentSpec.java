package dev.braid.manifest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A custom agent profile declared in a plan: how to launch an agent CLI and read what it prints.
 *
 * @param command the command and its arguments; {@code {prompt}} and {@code {prompt_file}} are
 *     placeholders. Empty when the plan only refines the built-in agent of the same name (its env,
 *     args, prompt_via or parser)
 * @param promptVia {@code argument}, {@code stdin} or {@code file}
 * @param parser {@code claude-stream-json}, {@code codex-json} or {@code lines}
 */
public record AgentSpec(
    String name,
    List<String> command,
    String promptVia,
    Map<String, String> env,
    List<String> extraArgs,
    String parser) {

  public AgentSpec {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    env = Map.copyOf(env);
    extraArgs = List.copyOf(extraArgs);
  }
}
