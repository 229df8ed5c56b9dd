package dev.braid.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    description =
        "Print a completion script for bash and zsh: commands, options and their values."
            + " Load it with `source <(braid completion)`, e.g. in ~/.bashrc or ~/.zshrc.")
final class CompletionCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // picocli's script: bash's complete, and zsh's through bashcompinit (the script loads it).
    // The hidden picocli command that generates it is not exposed; this one prints it.
    spec.commandLine().getOut().print(AutoComplete.bash("braid", Main.everyCommand()));
    return ExitCodes.OK;
  }
}
