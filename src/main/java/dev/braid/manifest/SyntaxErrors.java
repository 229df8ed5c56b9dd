package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;

/**
 * The one place where a parser's exception becomes a {@link Diagnostic}: the file's place and a
 * plain message, without Jackson's source descriptions, feature names or exception class names.
 */
final class SyntaxErrors {

  private SyntaxErrors() {}

  /** A syntax error in {@code file}, or its first byte that is not UTF-8. */
  static Diagnostic of(Path file, JsonProcessingException e) {
    if (isEncodingError(e)) {
      return notUtf8(file, at(file, e.getLocation()));
    }
    // SnakeYAML knows the problem and its place better than the exception Jackson wraps it in.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException y
          && y.getProblemMark() != null) {
        String problem = y.getProblem() == null ? "invalid YAML" : y.getProblem();
        String context = y.getContext();
        if ("while scanning an alias".equals(context)) {
          // `[*.md]`, `- **/*.ts`: an unquoted glob, which YAML takes for an alias
          return Diagnostic.error(
              new Location(
                  file, y.getContextMark().getLine() + 1, y.getContextMark().getColumn() + 1),
              null,
              "syntax error: a value that starts with '*' is a YAML alias; quote a pattern that"
                  + " starts with '*' (\"*.md\", \"**/*.ts\")");
        }
        String message =
            yaml(problem, context, y.getContextMark())
                .orElse(context == null ? problem : problem + " (" + context + ")");
        return Diagnostic.error(
            new Location(
                file, y.getProblemMark().getLine() + 1, y.getProblemMark().getColumn() + 1),
            null,
            "syntax error: " + clean(message));
      }
    }
    return Diagnostic.error(
        at(file, e.getLocation()), null, "syntax error: " + json(e.getOriginalMessage()));
  }

  /**
   * SnakeYAML's messages for the usual slips, said plainly: its own name the parser's states
   * ({@code expected <block end>, but found '<block mapping start>'}).
   */
  private static Optional<String> yaml(String problem, String context, Mark opened) {
    String where =
        opened == null
            ? ""
            : " opened at line " + (opened.getLine() + 1) + ", column " + (opened.getColumn() + 1);
    if (problem.startsWith("expected <block end>")) {
      return Optional.of(
          "this line's indentation does not fit the lines above it (the entries of one list or"
              + " object start in the same column)");
    }
    if (problem.equals("mapping values are not allowed here")) {
      return Optional.of(
          "unexpected ':' (quote a value that contains ': ', or check this line's indentation)");
    }
    if (problem.startsWith("found character '\\t(TAB)'")) {
      return Optional.of("a tab: YAML indents with spaces only");
    }
    Matcher bad = BAD_START.matcher(problem);
    if (bad.matches()) {
      return Optional.of("a value cannot start with '" + bad.group(1) + "' in YAML; quote it");
    }
    if (problem.startsWith("found unexpected end of stream")
        && "while scanning a quoted scalar".equals(context)) {
      return Optional.of("the file ends inside the quoted string" + where);
    }
    Matcher flow = UNCLOSED_FLOW.matcher(problem);
    if (flow.matches() && context != null && context.startsWith("while parsing a flow")) {
      String kind = flow.group(1).equals("}") ? "{...}" : "[...]";
      return Optional.of(
          "the " + kind + where + " is not closed: expected ',' or '" + flow.group(1) + "'");
    }
    return Optional.empty();
  }

  private static final Pattern BAD_START =
      Pattern.compile("found character '(.)' that cannot start any token.*", Pattern.DOTALL);
  private static final Pattern UNCLOSED_FLOW =
      Pattern.compile("expected ',' or '([}\\]])', but got .*", Pattern.DOTALL);

  /**
   * What the strict JSON parser refused that the seeds' manifests have (a comment, a trailing
   * comma), as a warning's message; empty for any other error.
   */
  static Optional<String> nonStandardJson(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (COMMENT.matcher(message).matches()) {
      return Optional.of(
          "a comment, which standard JSON does not allow (Braid reads it, other JSON tools"
              + " refuse the file)");
    }
    if (TRAILING_COMMA_OBJECT.matcher(message).matches()
        || TRAILING_COMMA_LIST.matcher(message).matches()) {
      return Optional.of(
          "a trailing comma, which standard JSON does not allow (Braid reads it, other JSON tools"
              + " refuse the file)");
    }
    return Optional.empty();
  }

  static boolean isEncodingError(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CharConversionException
          || (c.getMessage() != null && c.getMessage().startsWith("Invalid UTF-8"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code not UTF-8 text (byte 0xff)} at the first byte that is not UTF-8, found by reading the
   * file again: the parsers' own positions are off (SnakeYAML says byte -1).
   */
  static Diagnostic notUtf8(Path file, Location fallback) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    CharBuffer out = CharBuffer.allocate(64 * 1024);
    int line = 1;
    int column = 1;
    boolean first = true;
    try (InputStream stream = Files.newInputStream(file)) {
      while (true) {
        int n = stream.read(in.array(), in.position(), in.remaining());
        boolean end = n < 0;
        if (!end) {
          in.position(in.position() + n);
        }
        in.flip();
        CoderResult r = decoder.decode(in, out, end);
        out.flip();
        while (out.hasRemaining()) {
          char c = out.get();
          if (c == '\n') {
            line++;
            column = 1;
          } else if (!(first && c == '\uFEFF') && !Character.isLowSurrogate(c)) {
            column++;
          }
          first = false;
        }
        out.clear();
        if (r.isError()) {
          String bad = String.format("0x%02x", in.get(in.position()) & 0xff);
          return Diagnostic.error(
              new Location(file, line, column), null, "not UTF-8 text (byte " + bad + ")");
        }
        in.compact();
        if (end) {
          break;
        }
      }
    } catch (IOException e) {
      // fall through: the parser's place is the best there is
    }
    return Diagnostic.error(fallback, null, "not UTF-8 text");
  }

  /** Jackson's location in {@code file}; line or column 0 when it has none. */
  static Location at(Path file, JsonLocation loc) {
    return loc == null
        ? Location.of(file)
        : new Location(file, Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
  }

  // ------------------------------------------------------------------ JSON messages

  private record Rule(Pattern pattern, Function<Matcher, String> message) {
    static Rule of(String regex, Function<Matcher, String> message) {
      return new Rule(Pattern.compile(regex, Pattern.DOTALL), message);
    }
  }

  private static final Pattern COMMENT =
      Pattern.compile("Unexpected character \\('/' .*comment.*", Pattern.DOTALL);
  private static final Pattern TRAILING_COMMA_OBJECT =
      Pattern.compile(
          "Unexpected character \\('\\}' .*was expecting double-quote to start field name.*",
          Pattern.DOTALL);
  private static final Pattern TRAILING_COMMA_LIST =
      Pattern.compile("Unexpected character \\('\\]' .*expected a value.*", Pattern.DOTALL);

  /** Where Jackson names an opening bracket: {@code ...; line: 1, column: 22]}. */
  private static final String START = ".*?line: (\\d+), column: (\\d+)\\].*";

  /** Jackson's JSON messages, said plainly; the first that matches wins. */
  private static final List<Rule> JSON_RULES =
      List.of(
          Rule.of(
              "Unexpected end-of-input: expected close marker for (Array|Object)" + START,
              m ->
                  "the file ends inside the "
                      + container(m.group(1))
                      + " opened at line "
                      + m.group(2)
                      + ", column "
                      + m.group(3)),
          Rule.of(
              "Unexpected end-of-input.*(VALUE_STRING|closing quote|FIELD_NAME|field name).*",
              m -> "the file ends inside a string"),
          Rule.of("Unexpected end-of-input.*", m -> "the file ends too early"),
          Rule.of(
              "Unexpected close marker '(.)': expected '(.)' \\(for (Array|Object)" + START,
              m ->
                  "'"
                      + m.group(1)
                      + "' does not close the "
                      + container(m.group(3))
                      + " opened at line "
                      + m.group(4)
                      + ", column "
                      + m.group(5)
                      + " (expected '"
                      + m.group(2)
                      + "')"),
          Rule.of("Unexpected close marker '(.)'.*", m -> "'" + m.group(1) + "' closes nothing"),
          new Rule(COMMENT, m -> "comments are not allowed in JSON"),
          new Rule(
              TRAILING_COMMA_OBJECT, m -> "a comma before '}' (JSON allows no trailing comma)"),
          new Rule(TRAILING_COMMA_LIST, m -> "a comma before ']' (JSON allows no trailing comma)"),
          Rule.of(
              "Unexpected character \\('(.+?)' \\(code \\d+\\)\\): was expecting double-quote to"
                  + " start field name.*",
              m -> "expected a field name in double quotes, found '" + m.group(1) + "'"),
          Rule.of(
              "Unexpected character \\('(.+?)' \\(code \\d+\\)\\): was expecting comma to separate"
                  + " (Array|Object) entries.*",
              m ->
                  "expected ',' or '"
                      + (m.group(2).equals("Array") ? "]" : "}")
                      + "', found '"
                      + m.group(1)
                      + "'"),
          Rule.of(
              "Unexpected character \\('(.+?)' \\(code \\d+\\)\\): expected a value.*",
              m -> "expected a value, found '" + m.group(1) + "'"),
          Rule.of(
              "Unexpected character \\('(.+?)' \\(code \\d+\\)\\).*",
              m -> "unexpected character '" + m.group(1) + "'"),
          Rule.of(
              "Unrecognized token '(.*?)'.*",
              m ->
                  "unexpected '"
                      + m.group(1)
                      + "'; expected a value: a \"string\", a number, a list, an object,"
                      + " true, false or null"),
          Rule.of(
              "Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*",
              m ->
                  m.group(1).equals("10") || m.group(1).equals("13")
                      ? "a line break inside a string (write it as \\n)"
                      : "a control character (code " + m.group(1) + ") inside a string"),
          Rule.of(
              "Unrecognized character escape '(.+?)'.*",
              m -> "unknown escape '\\" + m.group(1) + "' in a string"),
          // Jackson's YAML parser, on a key that is itself a list or object (`[a]: 1`, or a
          // Markdown checkbox `- [ ] x: y` read as YAML): it names SnakeYAML's event classes
          Rule.of(
              "Expected a field name \\(Scalar value in YAML\\), got this instead: <.*?"
                  + "(Sequence|Mapping)StartEvent.*",
              m ->
                  "a key that is a "
                      + (m.group(1).equals("Sequence") ? "list" : "an object")
                      + " ([...] or {...} before ':'); keys are plain text (quote one that"
                      + " starts with '[' or '{')"),
          Rule.of(
              "Invalid numeric value: (.*)",
              m -> "invalid number: " + lowerFirst(clean(m.group(1)))));

  private static String json(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    for (Rule rule : JSON_RULES) {
      Matcher m = rule.pattern().matcher(message);
      if (m.matches()) {
        return rule.message().apply(m);
      }
    }
    return clean(message);
  }

  private static String container(String jacksonName) {
    return jacksonName.equals("Array") ? "list" : "object";
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Jackson's source descriptions ("[Source: ...]") and exception class names, removed. */
  private static final Pattern SOURCE = Pattern.compile("\\s*\\(?[^()\\[]*\\[Source:.*?\\]\\)?");

  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error):\\s*");

  /** The first line of {@code message}, without parser internals. */
  static String clean(String message) {
    String t = message.strip();
    int nl = t.indexOf('\n');
    t = nl < 0 ? t : t.substring(0, nl).strip();
    t = SOURCE.matcher(t).replaceAll("");
    t = CLASS_NAME.matcher(t).replaceAll("");
    return t.isBlank() ? "invalid input" : t.strip();
  }
}
