package dev.braid.export;

/** Quoting text for bash. */
final class Shell {

  private Shell() {}

  /**
   * {@code s} as one bash ANSI-C quoted word, {@code $'...'}: safe for any text, newlines included,
   * and always on one line.
   */
  static String ansiC(String s) {
    StringBuilder b = new StringBuilder(s.length() + 3).append("$'");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('\'').toString();
  }
}
