package dev.braid.manifest;

import java.util.Locale;
import java.util.Optional;

/** The seeds' risk levels; High-risk tasks must not run in parallel. */
public enum Risk {
  LOW("Low"),
  MEDIUM("Medium"),
  HIGH("High");

  private final String label;

  Risk(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<Risk> parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "low" -> Optional.of(LOW);
      case "medium" -> Optional.of(MEDIUM);
      case "high" -> Optional.of(HIGH);
      default -> Optional.empty();
    };
  }
}
