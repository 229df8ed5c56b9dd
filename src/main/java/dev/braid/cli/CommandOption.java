package dev.braid.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --command}: what tasks without a command of their own run. Plans read from tasks.md,
 * tasks.json or checklists name work, not commands; this runs one command for each such task, which
 * learns its task from {@code BRAID_TASK_ID}.
 */
final class CommandOption implements SharedOptions {

  private final OptionSpec command =
      SharedOptions.valued(
              String.class,
              "CMD",
              "Shell command for every task without a command or agent (tasks.md, tasks.json and"
                  + " checklists have none); it gets the task's id in BRAID_TASK_ID.",
              "--command")
          .build();

  @Override
  public CommandSpec mixin() {
    return CommandSpec.create().addOption(command);
  }

  /** The command given, or null. */
  String command() {
    return command.getValue();
  }
}
