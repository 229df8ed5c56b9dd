package dev.braid.cli;

import java.util.List;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options that several commands share ({@link PlanFileOption}, {@link CommandOption}, {@link
 * DashboardOptions}), declared with picocli's programmatic API instead of annotations. Reading
 * annotations cost every start ~50 ms of reflection and generated proxy classes
 * (docs/benchmarks.md, "Startup"); {@code braid run} and the top command are built without any, and
 * these are part of {@code run}. An annotated command that uses them implements {@link User} and
 * names {@link Add} as its {@code modelTransformer}. Each object is used by one command line:
 * picocli keeps the parsed values in the option specs, which the object reads back.
 */
interface SharedOptions {

  /** These options as a picocli mixin, whose values this object reads. */
  CommandSpec mixin();

  /** An annotated command with shared options. */
  interface User {
    List<SharedOptions> sharedOptions();
  }

  /** Adds a {@link User}'s shared options to its model once picocli has read its annotations. */
  final class Add implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      if (spec.userObject() instanceof User user) {
        for (SharedOptions o : user.sharedOptions()) {
          spec.addMixin(o.getClass().getSimpleName(), o.mixin());
        }
      }
      return spec;
    }
  }

  /** A flag: false unless given. */
  static OptionSpec flag(String description, String... names) {
    return flagBuilder(description, names).build();
  }

  /** {@link #flag}, to be given more attributes. */
  static OptionSpec.Builder flagBuilder(String description, String... names) {
    return OptionSpec.builder(names)
        .type(boolean.class)
        .arity("0")
        .initialValue(false)
        .description(description);
  }

  /** Whether a {@link #flag} was given. */
  static boolean isSet(OptionSpec flag) {
    return flag.<Boolean>getValue();
  }

  /** An option with one value of {@code type}, null unless given. */
  static OptionSpec.Builder valued(
      Class<?> type, String label, String description, String... names) {
    return OptionSpec.builder(names).type(type).paramLabel(label).description(description);
  }
}
