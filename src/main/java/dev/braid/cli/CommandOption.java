package dev.braid.cli;

import picocli.CommandLine.Option;

/**
 * {@code --command}: what tasks without a command of their own run. Plans read from tasks.md,
 * tasks.json or checklists name work, not commands; this runs one command for each such task, which
 * learns its task from {@code BRAID_TASK_ID}.
 */
final class CommandOption {

  @Option(
      names = "--command",
      paramLabel = "CMD",
      description =
          "Shell command for every task without a command or agent (tasks.md, tasks.json and"
              + " checklists have none); it gets the task's id in BRAID_TASK_ID.")
  String command;
}
