package dev.braid.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code file_scope} entry: a file path, a directory ending in {@code /}, or a glob with {@code
 * *} (within one path segment), {@code **} (any number of segments) and {@code ?}, with optional
 * {@code {a,b}} alternatives (nestable, may span segments).
 *
 * <p>Paths are relative to the repository root. Normalization: backslashes become {@code /},
 * repeated slashes collapse, {@code .} segments go away and {@code a/../b} resolves lexically.
 * {@code ./} (or {@code .}) is the whole repository. {@code [} and {@code ]} are literal characters
 * (Next.js-style route files such as {@code pages/[id].tsx} are common scope entries).
 *
 * <p>Semantics follow {@code .gitignore}: a directory {@code d/} and {@code d/**} contain every
 * file below {@code d} (one or more segments); a leading or inner {@code **} matches zero or more
 * segments; {@code **} glued to other characters in a segment ({@code **.ts}) acts as {@code *}.
 * Patterns match file paths, whose segments are never empty.
 */
public final class PathPattern {

  /** Upper bound on the alternatives a pattern's braces may expand to. */
  static final int MAX_ALTERNATIVES = 256;

  // Segment encoding: chars as themselves, STAR for '*', ANY for '?'. A null segment is '**'.
  private static final int STAR = -1;
  private static final int ANY = -2;
  private static final int[] ANY_NAME = {STAR}; // shared: never modified

  private final String source;
  private final String normalized;
  private final List<int[][]> alternatives;
  private final List<String[]> texts; // per alternative: the normalized segments as text
  private final int[] literalLength; // per alternative: leading segments without wildcards

  private PathPattern(
      String source, String normalized, List<int[][]> alternatives, List<String[]> texts) {
    this.source = source;
    this.normalized = normalized;
    this.alternatives = alternatives;
    this.texts = texts;
    this.literalLength = new int[alternatives.size()];
    for (int k = 0; k < literalLength.length; k++) {
      int[][] segments = alternatives.get(k);
      int len = 0;
      while (len < segments.length && segments[len] != null && isLiteral(segments[len])) {
        len++;
      }
      literalLength[k] = len;
    }
  }

  /** Why {@code pattern} is not a valid scope entry, or empty when it is valid. */
  public static Optional<String> syntaxError(String pattern) {
    try {
      normalizedAlternatives(pattern); // every check, without building the matcher
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Compiles a scope entry.
   *
   * @throws IllegalArgumentException with the message {@link #syntaxError} returns
   */
  public static PathPattern compile(String pattern) {
    return compile(pattern, null);
  }

  /**
   * Like {@link #compile(String)}; with {@code segments}, equal segments of many patterns share one
   * encoding (large plans repeat {@code packages}, {@code src}, module and file names), which also
   * makes comparing them an identity check.
   */
  static PathPattern compile(String pattern, Map<String, int[]> segments) {
    List<String> expanded = normalizedAlternatives(pattern);
    List<int[][]> alternatives = new ArrayList<>(expanded.size());
    List<String[]> texts = new ArrayList<>(expanded.size());
    for (String norm : expanded) {
      String[] parts = norm.split("/");
      texts.add(parts);
      alternatives.add(segments(norm, parts, segments));
    }
    String normalized =
        expanded.size() == 1 ? expanded.get(0) : "{" + String.join(",", expanded) + "}";
    return new PathPattern(pattern, normalized, List.copyOf(alternatives), List.copyOf(texts));
  }

  /** The pattern's brace alternatives, each normalized; throws on any syntax error. */
  private static List<String> normalizedAlternatives(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("empty path pattern");
    }
    String p = pattern.strip().replace('\\', '/');
    if (p.startsWith("/") || (p.length() >= 2 && p.charAt(1) == ':' && isLetter(p.charAt(0)))) {
      throw new IllegalArgumentException(
          "absolute path '" + pattern + "': scope entries are relative to the repository root");
    }
    if (p.contains("***")) {
      throw new IllegalArgumentException("'***' in '" + pattern + "': use '**' or '*'");
    }
    if (p.indexOf('{') < 0 && p.indexOf('}') < 0) {
      return List.of(normalize(p, pattern));
    }
    List<String> expanded = new ArrayList<>(expandBraces(p, pattern));
    expanded.replaceAll(alternative -> normalize(alternative, pattern));
    return expanded;
  }

  /** The entry as written in the plan. */
  public String source() {
    return source;
  }

  /**
   * The entry normalized: {@code ./src//a/} becomes {@code src/a/}; the whole repository is {@code
   * **}; braces are expanded into {@code {alt1,alt2}}.
   */
  public String normalized() {
    return normalized;
  }

  /** Whether this is one concrete file path (no wildcard, not a directory). */
  public boolean isLiteralFile() {
    return alternatives.size() == 1 && isLiteralAlternative(0);
  }

  /** Whether the concrete file path {@code path} (relative to the repository) is in this scope. */
  public boolean matches(String path) {
    String p = path.replace('\\', '/');
    List<String> parts = new ArrayList<>();
    for (String s : p.split("/", -1)) {
      if (!s.isEmpty() && !s.equals(".")) {
        parts.add(s);
      }
    }
    if (parts.isEmpty()) {
      return false;
    }
    int[][] literal = new int[parts.size()][];
    for (int i = 0; i < literal.length; i++) {
      literal[i] = parts.get(i).chars().toArray();
    }
    for (int[][] alternative : alternatives) {
      if (intersects(alternative, literal)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some file path is matched by both this pattern and {@code other}; exact. */
  public boolean overlaps(PathPattern other) {
    for (int[][] a : alternatives) {
      for (int[][] b : other.alternatives) {
        if (intersects(a, b)) {
          return true;
        }
      }
    }
    return false;
  }

  /** How many alternatives the braces expanded to (1 without braces). */
  int alternativeCount() {
    return alternatives.size();
  }

  /**
   * The leading segments of alternative {@code k} that are plain names (no wildcard); a file's
   * whole path, a directory's path, a glob's part before its first wildcard segment.
   */
  List<String> literalPrefix(int k) {
    return Arrays.asList(texts.get(k)).subList(0, literalLength[k]);
  }

  /** Whether alternative {@code k} is nothing but its literal prefix, i.e. one file. */
  boolean isLiteralAlternative(int k) {
    return literalLength[k] == alternatives.get(k).length;
  }

  @Override
  public String toString() {
    return source;
  }

  // ---- parsing ----

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Expands {@code {a,b}} alternatives, innermost-first by recursion on the first group. */
  private static List<String> expandBraces(String p, String original) {
    int open = -1;
    int depth = 0;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '{') {
        if (depth == 0) {
          open = i;
        }
        depth++;
      } else if (c == '}') {
        if (depth == 0) {
          throw new IllegalArgumentException("unbalanced '}' in '" + original + "'");
        }
        depth--;
        if (depth == 0) {
          List<String> options = splitTopLevel(p.substring(open + 1, i));
          String head = p.substring(0, open);
          List<String> tails = expandBraces(p.substring(i + 1), original);
          List<String> out = new ArrayList<>();
          for (String option : options) {
            for (String expandedOption : expandBraces(option, original)) {
              for (String tail : tails) {
                out.add(head + expandedOption + tail);
                if (out.size() > MAX_ALTERNATIVES) {
                  throw new IllegalArgumentException(
                      "'" + original + "' expands to more than " + MAX_ALTERNATIVES + " patterns");
                }
              }
            }
          }
          return out;
        }
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced '{' in '" + original + "'");
    }
    return List.of(p);
  }

  private static List<String> splitTopLevel(String body) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(body.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(body.substring(start));
    return parts;
  }

  /** Normalizes one brace-free alternative; a trailing {@code /} marks a directory. */
  private static String normalize(String p, String original) {
    if (isPlain(p)) {
      // nothing to collapse or resolve: the common case, without splitting and joining
      return p.endsWith("**/") ? p.substring(0, p.length() - 1) : p;
    }
    boolean directory = p.endsWith("/") || p.equals(".") || p.endsWith("/.") || p.endsWith("/..");
    List<String> out = new ArrayList<>();
    for (String s : p.split("/", -1)) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (out.isEmpty()) {
          throw new IllegalArgumentException("'" + original + "' escapes the repository with '..'");
        }
        if (out.get(out.size() - 1).equals("**")) {
          throw new IllegalArgumentException("'..' after '**' in '" + original + "'");
        }
        out.remove(out.size() - 1);
        continue;
      }
      out.add(s);
    }
    if (out.isEmpty()) {
      if (!directory) {
        throw new IllegalArgumentException("empty path pattern '" + original + "'");
      }
      return "**";
    }
    String joined = String.join("/", out);
    return directory && !joined.endsWith("**") ? joined + "/" : joined;
  }

  /** No empty, {@code .} or {@code ..} segment: normalizing would not change it. */
  private static boolean isPlain(String p) {
    return !p.isEmpty()
        && !p.equals(".")
        && !p.startsWith("./")
        && !p.endsWith("/.")
        && !p.contains("//")
        && !p.contains("/./")
        && !p.contains("..");
  }

  private static int[][] segments(String normalized, String[] parts, Map<String, int[]> shared) {
    // a directory, or a trailing '**', holds one or more segments: '**' then '*'
    boolean holds = normalized.endsWith("/") || parts[parts.length - 1].equals("**");
    int[][] segs = new int[parts.length + (holds ? 2 : 0)][];
    int n = 0;
    for (String part : parts) {
      boolean globstar = part.equals("**");
      if (globstar && n > 0 && segs[n - 1] == null) {
        continue; // consecutive '**' are one '**'
      }
      segs[n++] =
          globstar
              ? null
              : shared == null ? encode(part) : shared.computeIfAbsent(part, PathPattern::encode);
    }
    if (holds) {
      if (segs[n - 1] != null) {
        segs[n++] = null;
      }
      segs[n++] = ANY_NAME;
    }
    return n == segs.length ? segs : Arrays.copyOf(segs, n);
  }

  private static int[] encode(String segment) {
    int[] out = new int[segment.length()];
    int n = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '*') {
        if (n > 0 && out[n - 1] == STAR) {
          continue; // '**' inside a segment is '*'
        }
        out[n++] = STAR;
      } else if (c == '?') {
        out[n++] = ANY;
      } else {
        out[n++] = c;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static boolean isLiteral(int[] segment) {
    for (int c : segment) {
      if (c < 0) {
        return false;
      }
    }
    return true;
  }

  // ---- intersection ----

  /**
   * Whether two segment sequences share a path: reachability in their product automaton. State (i,
   * j) means "the first i tokens of a and j of b are matched"; a {@code **} (null) may be skipped
   * or consume a segment and stay.
   */
  static boolean intersects(int[][] a, int[][] b) {
    int m = a.length;
    int n = b.length;
    if (n < 64) {
      return intersectsByRows(a, b);
    }
    boolean[] seen = new boolean[(m + 1) * (n + 1)];
    int[] stack = new int[(m + 1) * (n + 1)];
    int sp = 0;
    stack[sp++] = 0;
    seen[0] = true;
    while (sp > 0) {
      int state = stack[--sp];
      int i = state / (n + 1);
      int j = state % (n + 1);
      if (i == m && j == n) {
        return true;
      }
      boolean aStar = i < m && a[i] == null;
      boolean bStar = j < n && b[j] == null;
      if (aStar) {
        sp = push(seen, stack, sp, (i + 1) * (n + 1) + j);
      }
      if (bStar) {
        sp = push(seen, stack, sp, i * (n + 1) + j + 1);
      }
      if (i < m && j < n && (aStar || bStar || segmentsIntersect(a[i], b[j]))) {
        int ni = aStar ? i : i + 1;
        int nj = bStar ? j : j + 1;
        if (ni != i || nj != j) {
          sp = push(seen, stack, sp, ni * (n + 1) + nj);
        }
      }
    }
    return false;
  }

  /**
   * {@link #intersects} without allocating, for up to 63 segments in {@code b}: every move goes to
   * the same or the next row of the product, never back, so the reachable states of a row fit in
   * the bits of a long and rows are visited once, in order.
   */
  private static boolean intersectsByRows(int[][] a, int[][] b) {
    int m = a.length;
    int n = b.length;
    long row = 1; // (0, 0)
    for (int i = 0; i <= m; i++) {
      long next = 0;
      boolean aStar = i < m && a[i] == null;
      for (int j = 0; j <= n; j++) {
        if ((row & (1L << j)) == 0) {
          continue;
        }
        if (i == m && j == n) {
          return true;
        }
        boolean bStar = j < n && b[j] == null;
        if (aStar) {
          next |= 1L << j; // a's ** matches nothing more
        }
        if (bStar) {
          row |= 1L << (j + 1);
        }
        if (i < m && j < n) {
          if (aStar && !bStar) {
            row |= 1L << (j + 1); // a's ** takes b's segment and stays
          } else if (bStar && !aStar) {
            next |= 1L << j;
          } else if (!aStar && segmentsIntersect(a[i], b[j])) {
            next |= 1L << (j + 1);
          }
        }
      }
      if (next == 0 && i < m) {
        return false;
      }
      row = next;
    }
    return false;
  }

  /** {@link #segmentsIntersect} by rows, as {@link #intersectsByRows}; {@code q} under 64 chars. */
  private static boolean segmentsIntersectByRows(int[] p, int[] q) {
    int m = p.length;
    int n = q.length;
    long row = 1;
    for (int i = 0; i <= m; i++) {
      long next = 0;
      boolean pStar = i < m && p[i] == STAR;
      for (int j = 0; j <= n; j++) {
        if ((row & (1L << j)) == 0) {
          continue;
        }
        if (i == m && j == n) {
          return true;
        }
        boolean qStar = j < n && q[j] == STAR;
        if (pStar) {
          next |= 1L << j;
        }
        if (qStar) {
          row |= 1L << (j + 1);
        }
        if (i < m && j < n && charsCompatible(p[i], q[j])) {
          int ni = pStar ? i : i + 1;
          int nj = qStar ? j : j + 1;
          if (ni != i) {
            next |= 1L << nj;
          } else if (nj != j) {
            row |= 1L << nj;
          }
        }
      }
      if (next == 0 && i < m) {
        return false;
      }
      row = next;
    }
    return false;
  }

  private static int push(boolean[] seen, int[] stack, int sp, int state) {
    if (!seen[state]) {
      seen[state] = true;
      stack[sp++] = state;
    }
    return sp;
  }

  /**
   * Whether some non-empty segment matches both wildcard strings, by the same product construction
   * over characters ({@code *} stays or is skipped, {@code ?} takes any one char). Any common match
   * can be made non-empty: if both match "", both are all stars.
   */
  static boolean segmentsIntersect(int[] p, int[] q) {
    if (p == q) {
      return true; // a segment (never empty) matches some name
    }
    if (isLiteral(p) && isLiteral(q)) {
      return Arrays.equals(p, q);
    }
    int m = p.length;
    int n = q.length;
    if (n < 64) {
      return segmentsIntersectByRows(p, q);
    }
    boolean[] seen = new boolean[(m + 1) * (n + 1)];
    int[] stack = new int[(m + 1) * (n + 1)];
    int sp = 0;
    stack[sp++] = 0;
    seen[0] = true;
    while (sp > 0) {
      int state = stack[--sp];
      int i = state / (n + 1);
      int j = state % (n + 1);
      if (i == m && j == n) {
        return true;
      }
      boolean pStar = i < m && p[i] == STAR;
      boolean qStar = j < n && q[j] == STAR;
      if (pStar) {
        sp = push(seen, stack, sp, (i + 1) * (n + 1) + j);
      }
      if (qStar) {
        sp = push(seen, stack, sp, i * (n + 1) + j + 1);
      }
      if (i < m && j < n && charsCompatible(p[i], q[j])) {
        int ni = pStar ? i : i + 1;
        int nj = qStar ? j : j + 1;
        if (ni != i || nj != j) {
          sp = push(seen, stack, sp, ni * (n + 1) + nj);
        }
      }
    }
    return false;
  }

  private static boolean charsCompatible(int x, int y) {
    return x < 0 || y < 0 || x == y;
  }
}
