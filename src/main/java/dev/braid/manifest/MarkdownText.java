package dev.braid.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the Markdown readers share: lines with their byte offsets, paths and estimates in text. */
final class MarkdownText {

  private MarkdownText() {}

  /**
   * One line of a file: its text without the line break, its 1-based number, and the byte offset
   * where it starts, so a write-back can change single bytes of the original.
   */
  record Line(int number, String text, int offset) {}

  /**
   * The lines of a UTF-8 file ({@code \n} or {@code \r\n}); a leading byte order mark is skipped.
   */
  static List<Line> lines(byte[] bytes) {
    List<Line> out = new ArrayList<>();
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xEF
        && (bytes[1] & 0xff) == 0xBB
        && (bytes[2] & 0xff) == 0xBF) {
      start = 3;
    }
    int number = 1;
    for (int i = start; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i == bytes.length && i == start && !out.isEmpty()) {
          break; // the file ends with a line break
        }
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        out.add(
            new Line(
                number++, new String(bytes, start, end - start, StandardCharsets.UTF_8), start));
        start = i + 1;
      }
    }
    return out;
  }

  /** The byte offset within {@code line} of the character at {@code charIndex}. */
  static int byteOffset(Line line, int charIndex) {
    return line.offset()
        + line.text().substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
  }

  /** {@code [ ]}, {@code [x]} or {@code [X]}; anything else in the brackets is malformed. */
  static boolean isCheckState(char c) {
    return c == ' ' || c == 'x' || c == 'X';
  }

  // ---------------------------------------------------------------- estimates

  /** {@code (15 min)}, {@code (5/15 min)}, {@code (2h)}, {@code (1h 30m)}, {@code (45 minutes)}. */
  static final Pattern ESTIMATE =
      Pattern.compile(
          "\\(\\s*(?:\\d+\\s*/\\s*)?(?:(\\d+(?:\\.\\d+)?)\\s*(?:h|hr|hrs|hours?)\\s*)?"
              + "(?:(\\d+(?:\\.\\d+)?)\\s*(?:m|min|mins|minutes?))?\\s*\\)",
          Pattern.CASE_INSENSITIVE);

  /** The estimate written in {@code text}, in minutes, and where; null when there is none. */
  static Found estimate(String text) {
    Matcher m = ESTIMATE.matcher(text);
    while (m.find()) {
      if (m.group(1) == null && m.group(2) == null) {
        continue;
      }
      double minutes = 0;
      if (m.group(1) != null) {
        minutes += Double.parseDouble(m.group(1)) * 60;
      }
      if (m.group(2) != null) {
        minutes += Double.parseDouble(m.group(2));
      }
      return new Found(Double.toString(minutes), m.start(), m.end());
    }
    return null;
  }

  /** A piece of text found in a line, with its character range. */
  record Found(String value, int start, int end) {}

  // ---------------------------------------------------------------- file paths

  private static final Pattern TOKEN = Pattern.compile("`([^`]+)`|([^\\s`]+)");

  /**
   * A line (and column, or range) after a file name: {@code :42}, {@code :42:7}, {@code #L4-L9}.
   */
  private static final Pattern PLACE =
      Pattern.compile("(?::\\d+(?::\\d+)?(?:-\\d+)?|#L\\d+(?:C\\d+)?(?:-L?\\d+(?:C\\d+)?)?)$");

  private static final Set<String> NOT_PATHS =
      Set.of(
          "and/or",
          "either/or",
          "read/write",
          "input/output",
          "ui/ux",
          "client/server",
          "ci/cd",
          "i/o",
          "tcp/ip",
          "true/false",
          "yes/no",
          "on/off",
          "get/set",
          "pass/fail",
          "n/a",
          "e.g.",
          "i.e.",
          "etc.",
          "vs.",
          "w/o");

  /** File extensions that make a word without a slash a file name. */
  private static final Set<String> EXTENSIONS =
      Set.of(
          "py",
          "rs",
          "ts",
          "tsx",
          "js",
          "jsx",
          "mjs",
          "cjs",
          "java",
          "kt",
          "kts",
          "go",
          "rb",
          "php",
          "cs",
          "c",
          "h",
          "cc",
          "cpp",
          "hpp",
          "swift",
          "m",
          "scala",
          "clj",
          "ex",
          "exs",
          "erl",
          "dart",
          "lua",
          "r",
          "sql",
          "sh",
          "bash",
          "zsh",
          "ps1",
          "json",
          "yaml",
          "yml",
          "toml",
          "xml",
          "ini",
          "cfg",
          "conf",
          "env",
          "properties",
          "gradle",
          "lock",
          "md",
          "mdx",
          "rst",
          "txt",
          "csv",
          "html",
          "htm",
          "css",
          "scss",
          "sass",
          "less",
          "vue",
          "svelte",
          "astro",
          "proto",
          "graphql",
          "gql",
          "tf",
          "hcl",
          "dockerfile",
          "mod",
          "sum",
          "ipynb");

  /**
   * The file paths named in {@code text}, with their character ranges: words with a {@code /}
   * ({@code src/models/user.py}, {@code tests/}) and file names with a known extension ({@code
   * Cargo.toml}). Backticks are stripped, and so is a line number after a file ({@code
   * src/app.ts:42}, {@code src/app.ts#L42}); URLs, absolute paths (often API routes such as {@code
   * /api/users}), and phrases like {@code and/or} are not paths.
   */
  static List<Found> paths(String text) {
    List<Found> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      boolean quoted = m.group(1) != null;
      int start = quoted ? m.start(1) : m.start(2);
      String word = quoted ? m.group(1).strip() : m.group(2);
      if (!quoted) {
        // trim punctuation around a word in a sentence
        int a = 0;
        int b = word.length();
        while (a < b && "([\"'<".indexOf(word.charAt(a)) >= 0) {
          a++;
        }
        while (b > a && ",.;:!?)]\"'>".indexOf(word.charAt(b - 1)) >= 0) {
          b--;
        }
        start += a;
        word = word.substring(a, b);
      }
      // src/app.ts:42, src/app.ts:42:7, src/app.ts#L10-L20: the file, not a place in it
      Matcher place = PLACE.matcher(word);
      if (place.find() && place.start() > 0) {
        word = word.substring(0, place.start());
      }
      if (isPath(word)) {
        out.add(new Found(word, start, start + word.length()));
      }
    }
    return out;
  }

  private static boolean isPath(String w) {
    if (w.isEmpty()
        || w.contains("://")
        || w.startsWith("/")
        || w.startsWith("~")
        || w.contains("{")
        || w.contains("}")
        || w.contains("***")
        || NOT_PATHS.contains(w.toLowerCase(Locale.ROOT))
        || !w.chars().allMatch(MarkdownText::pathChar)) {
      return false;
    }
    int slash = w.indexOf('/');
    if (slash >= 0) {
      if (w.equals("/") || w.startsWith("./") && w.length() == 2) {
        return false;
      }
      for (String seg : w.split("/")) {
        if (seg.isEmpty() && !w.endsWith("/")) {
          return false; // "a//b"
        }
      }
      return w.chars().anyMatch(Character::isLetter);
    }
    if (w.length() > 2
        && w.charAt(0) == '.'
        && w.substring(1).chars().allMatch(Character::isLetter)) {
      return true; // a dotfile: .gitignore, .prettierrc, .env
    }
    int dot = w.lastIndexOf('.');
    if (dot <= 0 || dot == w.length() - 1) {
      return w.equalsIgnoreCase("Dockerfile") || w.equalsIgnoreCase("Makefile");
    }
    String ext = w.substring(dot + 1).toLowerCase(Locale.ROOT);
    String base = w.substring(0, dot);
    // "Node.js", "Vue.js": names of tools, not files
    if (ext.equals("js")
        && Character.isUpperCase(base.charAt(0))
        && base.chars().allMatch(Character::isLetter)) {
      return false;
    }
    return EXTENSIONS.contains(ext);
  }

  private static boolean pathChar(int c) {
    return Character.isLetterOrDigit(c) || "._-/*?[]@+~#%=".indexOf(c) >= 0;
  }

  // ---------------------------------------------------------------- lists of ids

  /** A comma-separated item, trimmed, with its range; parenthesised remarks are cut off. */
  static List<Found> items(String text, int offset, String separators) {
    List<Found> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ',';
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0 && (i == text.length() || separators.indexOf(c) >= 0)) {
        String raw = text.substring(start, i);
        int paren = raw.indexOf('(');
        String item = paren >= 0 ? raw.substring(0, paren) : raw;
        int lead = 0;
        while (lead < item.length() && Character.isWhitespace(item.charAt(lead))) {
          lead++;
        }
        String value = item.strip();
        if (!value.isEmpty()) {
          out.add(new Found(value, offset + start + lead, offset + start + lead + value.length()));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** {@code None}, {@code -}, {@code n/a} or nothing: an empty list. */
  static boolean isNone(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return t.isEmpty() || t.equals("none") || t.equals("-") || t.equals("—") || t.equals("n/a");
  }
}
