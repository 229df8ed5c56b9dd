package dev.braid.observe;

/** The few colours Braid uses, and whether to use them at all. */
final class Ansi {
  static final String RESET = "\u001b[0m";
  static final String RED = "\u001b[31m";
  static final String GREEN = "\u001b[32m";
  static final String YELLOW = "\u001b[33m";
  static final String DIM = "\u001b[2m";

  private Ansi() {}

  /**
   * Colour unless {@code NO_COLOR} is set (https://no-color.org), output is not a terminal, or the
   * terminal is {@code TERM=dumb}, which shows escape sequences as text (as git and ls, Braid then
   * does without).
   */
  static boolean enabled(boolean terminal) {
    String noColor = System.getenv("NO_COLOR");
    return terminal
        && (noColor == null || noColor.isEmpty())
        && !"dumb".equals(System.getenv("TERM"));
  }
}
