package dev.braid.manifest;

import java.util.Locale;
import java.util.Optional;

/** T-shirt sizes of an estimate, each standing for a number of minutes. */
public enum Size {
  S(15),
  M(30),
  L(60),
  XL(120);

  private final double minutes;

  Size(double minutes) {
    this.minutes = minutes;
  }

  public double minutes() {
    return minutes;
  }

  public static Optional<Size> parse(String text) {
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
