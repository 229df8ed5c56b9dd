package dev.braid.manifest;

import java.util.Objects;

/** An integration check run on the integration branch between batches of merges. */
public record Checkpoint(String command, After after) {

  public Checkpoint {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(after, "after");
  }

  /** When the checkpoint runs. */
  public sealed interface After {
    /** After each execution wave of the plan. */
    record Wave() implements After {}

    /** After every merge. */
    record Each() implements After {}

    /** Once, when every task has ended. */
    record End() implements After {}

    /** After every {@code merges} merges. */
    record EveryMerges(int merges) implements After {
      public EveryMerges {
        if (merges < 1) {
          throw new IllegalArgumentException("merges must be >= 1: " + merges);
        }
      }
    }

    /** Parses {@code wave}, {@code each}, {@code end} or a positive number of merges. */
    static java.util.Optional<After> parse(String text) {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      return switch (t) {
        case "wave" -> java.util.Optional.of(new Wave());
        case "each" -> java.util.Optional.of(new Each());
        case "end" -> java.util.Optional.of(new End());
        default -> {
          try {
            int n = Integer.parseInt(t);
            yield n >= 1 ? java.util.Optional.of(new EveryMerges(n)) : java.util.Optional.empty();
          } catch (NumberFormatException e) {
            yield java.util.Optional.empty();
          }
        }
      };
    }

    /** The manifest spelling of this value. */
    static String format(After after) {
      return switch (after) {
        case Wave w -> "wave";
        case Each e -> "each";
        case End e -> "end";
        case EveryMerges m -> Integer.toString(m.merges());
      };
    }
  }
}
