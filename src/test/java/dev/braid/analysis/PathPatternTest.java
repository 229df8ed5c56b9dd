package dev.braid.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "  ",
        "/etc",
        "/etc/passwd",
        "C:\\src",
        "..",
        "../x",
        "a/../../x",
        "src/***",
        "src/{a,b",
        "src/a,b}",
        "**/../x"
      })
  void rejects(String pattern) {
    assertThat(PathPattern.syntaxError(pattern)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "src/a.ts",
        "src/",
        "./",
        ".",
        "**",
        "src/**/*.ts",
        "a/../b",
        "pages/[id].tsx",
        "{a,b}/c"
      })
  void accepts(String pattern) {
    assertThat(PathPattern.syntaxError(pattern)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "./src//a.ts, src/a.ts",
    "src\\main\\, src/main/",
    "a/./b/../c, a/c",
    "./, **",
    "src/**, src/**",
    "src/**/, src/**",
    ".//src/**/, src/**",
    "src/main/, src/main/",
    "a/b.ts, a/b.ts",
    "'{a,b}/x', '{a/x,b/x}'"
  })
  void normalizes(String pattern, String normalized) {
    assertThat(PathPattern.compile(pattern).normalized()).isEqualTo(normalized);
  }

  @ParameterizedTest
  @CsvSource({
    "src/a.ts, src/a.ts, true",
    "src/a.ts, src/b.ts, false",
    "src/, src/a.ts, true",
    "src/, src/x/y/z.ts, true",
    "src/, src, false",
    "src/, srcx/a.ts, false",
    "src/**, src/a, true",
    "src/**, src, false",
    "src/*.ts, src/a.ts, true",
    "src/*.ts, src/x/a.ts, false",
    "src/**/*.ts, src/a.ts, true",
    "src/**/*.ts, src/x/y/a.ts, true",
    "**/package.json, package.json, true",
    "**/package.json, a/b/package.json, true",
    "./, anything/at/all, true",
    "a?c, abc, true",
    "a?c, ac, false",
    "src/**.ts, src/a.ts, true",
    "src/**.ts, src/x/a.ts, false",
    "'{src,test}/a.ts', test/a.ts, true",
    "'src/{a,b/c}.ts', src/b/c.ts, true",
    "pages/[id].tsx, pages/[id].tsx, true",
    "pages/[id].tsx, pages/i.tsx, false"
  })
  void matches(String pattern, String path, boolean expected) {
    assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "src/, src/a.ts, true",
    "src/, lib/, false",
    "src/a/, src/, true",
    "src/*.ts, src/a/, false",
    "src/*/x.ts, src/a/, true",
    "src/*.ts, src/*.js, false",
    "src/a*.ts, src/*b.ts, true",
    "src/a*, src/*a, true",
    "src/a?, src/?b, true",
    "src/a?, src/bb, false",
    "src/ab*, src/ba*, false",
    "**/*.md, docs/, true",
    "**/*.md, docs/a.ts, false",
    "src, src/, false",
    "a/**/b/**/c, **/c/**/b, false",
    "a/**/b/**/c, **/b/**, true",
    "a/*/c, */b/*, true",
    "a/*/c, */b/d, false",
    "'{a,b}/x', b/, true",
    "'{a,b}/x', c/, false"
  })
  void overlaps(String p, String q, boolean expected) {
    PathPattern a = PathPattern.compile(p);
    PathPattern b = PathPattern.compile(q);
    assertThat(a.overlaps(b)).isEqualTo(expected);
    assertThat(b.overlaps(a)).isEqualTo(expected);
  }

  @Test
  void literalPrefixStopsAtFirstWildcardSegment() {
    assertThat(PathPattern.compile("a/b/*.ts").literalPrefix(0)).containsExactly("a", "b");
    assertThat(PathPattern.compile("a/b/").literalPrefix(0)).containsExactly("a", "b");
    assertThat(PathPattern.compile("a/b/c.ts").literalPrefix(0)).containsExactly("a", "b", "c.ts");
    assertThat(PathPattern.compile("**/x").literalPrefix(0)).isEmpty();
  }

  // ---- properties: overlaps and matches against brute force over a tiny universe ----

  /** Every file path over segments of 1..2 chars from {a,b} and depth 1..4. */
  static final List<String> UNIVERSE = universe();

  private static List<String> universe() {
    List<String> segments = new ArrayList<>();
    for (int len = 1; len <= 2; len++) {
      for (int bits = 0; bits < (1 << len); bits++) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < len; k++) {
          s.append((bits >> k & 1) == 0 ? 'a' : 'b');
        }
        segments.add(s.toString());
      }
    }
    List<String> paths = new ArrayList<>(segments);
    List<String> last = segments;
    for (int depth = 2; depth <= 4; depth++) {
      List<String> next = new ArrayList<>();
      for (String prefix : last) {
        for (String s : segments) {
          next.add(prefix + "/" + s);
        }
      }
      paths.addAll(next);
      last = next;
    }
    return paths;
  }

  /**
   * Patterns whose overlaps always have a witness in {@link #UNIVERSE}: segments of at most 2
   * pattern characters (two of them intersect, if at all, on a string of at most 2 characters over
   * {a, b}, as '?' and '*' accept 'a'), and at most 2 required segments each, so a common path
   * needs at most 4 segments.
   */
  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> segment =
        Arbitraries.of("a", "b", "?", "*", "ab", "a*", "*b", "?a", "b?", "**", "*a", "ba", "??");
    Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(4).map(s -> String.join("/", s));
    return Combinators.combine(path, Arbitraries.of("", "/"))
        .as((p, slash) -> p.endsWith("**") ? p : p + slash)
        .filter(p -> PathPattern.syntaxError(p).isEmpty())
        .filter(p -> requiredSegments(PathPattern.compile(p).normalized()) <= 2);
  }

  /** Segments every match has at least: those not '**', plus one inside a directory. */
  private static int requiredSegments(String normalized) {
    int count = 0;
    for (String s : normalized.split("/")) {
      if (!s.equals("**")) {
        count++;
      }
    }
    return count + (normalized.endsWith("/") || normalized.endsWith("**") ? 1 : 0);
  }

  @Property(tries = 2000)
  void overlapsAgreesWithEnumeration(@ForAll("patterns") String p, @ForAll("patterns") String q) {
    PathPattern a = PathPattern.compile(p);
    PathPattern b = PathPattern.compile(q);
    boolean brute = UNIVERSE.stream().anyMatch(path -> a.matches(path) && b.matches(path));
    assertThat(a.overlaps(b)).as("%s vs %s", p, q).isEqualTo(brute);
  }

  @Property(tries = 500)
  void matchesAgreesWithRegex(@ForAll("patterns") String p) {
    PathPattern a = PathPattern.compile(p);
    String regex = toRegex(a.normalized());
    for (String path : UNIVERSE) {
      assertThat(a.matches(path))
          .as("%s on %s (%s)", p, path, regex)
          .isEqualTo(path.matches(regex));
    }
  }

  /** An independent reading of the semantics, as a regular expression. */
  static String toRegex(String normalized) {
    String n = normalized.endsWith("/") ? normalized + "**" : normalized;
    String[] segs = n.split("/");
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < segs.length; i++) {
      boolean lastSeg = i == segs.length - 1;
      if (segs[i].equals("**")) {
        r.append(lastSeg ? "[^/]+(/[^/]+)*" : "([^/]+/)*");
        continue;
      }
      for (char c : segs[i].toCharArray()) {
        r.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : java.util.regex.Pattern.quote("" + c));
      }
      if (!lastSeg) {
        r.append('/');
      }
    }
    return r.toString();
  }
}
