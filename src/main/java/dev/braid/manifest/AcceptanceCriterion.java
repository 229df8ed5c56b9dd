package dev.braid.manifest;

import java.util.Objects;

/** One acceptance criterion; {@code id} is null when the plan gave a plain string. */
public record AcceptanceCriterion(String id, String text) {

  public AcceptanceCriterion {
    Objects.requireNonNull(text, "text");
  }

  public static AcceptanceCriterion of(String text) {
    return new AcceptanceCriterion(null, text);
  }
}
