package dev.braid.manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Adds entries to tasks' {@code file_scope} by editing the plan's text where the reader located
 * each value, so comments, order and the format (JSON, YAML block or flow style) stay as they were.
 * New entries take the style of the list they join: in JSON double-quoted; in YAML plain (when the
 * path reads back as the same string unquoted) if the list has a plain entry or none, else quoted
 * like its last entry.
 */
public final class ScopeEdit {

  private ScopeEdit() {}

  private record Insert(int offset, String text) {}

  /** How new entries are written. */
  private enum Style {
    PLAIN,
    SINGLE,
    DOUBLE;

    String write(String s) {
      return switch (this) {
        case PLAIN -> plainSafe(s) ? s : quote(s);
        case SINGLE ->
            s.chars().anyMatch(c -> c < 0x20) ? quote(s) : "'" + s.replace("'", "''") + "'";
        case DOUBLE -> quote(s);
      };
    }
  }

  /** A path YAML reads back as itself unquoted: no indicators, nothing a scalar resolves to. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./*+@%~=-]*");

  /** Numbers, dates and times in any of YAML's notations (1.1 and 1.2), over-approximated. */
  private static final Pattern NUMBERISH = Pattern.compile("[-+.]?[0-9][0-9a-fA-FxXoO_.,:+-]*");

  private static final Set<String> RESERVED =
      Set.of("null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", ".nan", "=");

  static boolean plainSafe(String s) {
    return PLAIN.matcher(s).matches()
        && !NUMBERISH.matcher(s).matches()
        && !RESERVED.contains(s.toLowerCase(Locale.ROOT));
  }

  /**
   * {@code text} (the plan {@code plan} was read from) with {@code additions} (task id to new
   * entries) added to each task's {@code file_scope}.
   *
   * @throws IllegalArgumentException when a task cannot be located in the text
   */
  public static String apply(String text, Manifest plan, Map<String, List<String>> additions) {
    int[] lineStarts = lineStarts(text);
    List<Insert> inserts = new ArrayList<>();
    Map<String, Integer> index = plan.indexById();
    for (Map.Entry<String, List<String>> e : additions.entrySet()) {
      Integer i = index.get(e.getKey());
      if (i == null || e.getValue().isEmpty()) {
        continue;
      }
      inserts.add(insertFor(text, lineStarts, plan, i, e.getValue()));
    }
    inserts.sort(Comparator.comparingInt(Insert::offset).reversed());
    StringBuilder b = new StringBuilder(text);
    for (Insert in : inserts) {
      b.insert(in.offset(), in.text());
    }
    return b.toString();
  }

  /**
   * Those of {@code ids} whose {@code file_scope} is a YAML alias (or comes from a {@code <<} merge
   * of one): written elsewhere and maybe shared, so {@link #apply} cannot add to it for the task
   * alone.
   */
  public static Set<String> aliased(String text, Manifest plan, Collection<String> ids) {
    int[] lineStarts = lineStarts(text);
    Map<String, Integer> index = plan.indexById();
    Set<String> out = new LinkedHashSet<>();
    for (String id : ids) {
      Integer i = index.get(id);
      if (i != null && aliased(text, lineStarts, plan, i)) {
        out.add(id);
      }
    }
    return out;
  }

  private static boolean aliased(String text, int[] lineStarts, Manifest plan, int i) {
    Optional<Location> list = plan.sources().find(SourceMap.task(i, "file_scope"));
    return list.isPresent() && text.charAt(offset(lineStarts, list)) == '*';
  }

  private static Insert insertFor(
      String text, int[] lineStarts, Manifest plan, int i, List<String> add) {
    SourceMap src = plan.sources();
    Task task = plan.tasks().get(i);
    int n = task.fileScope().size();
    if (aliased(text, lineStarts, plan, i)) {
      throw new IllegalArgumentException(
          task.id() + ": its file_scope is a YAML alias, which other tasks may share");
    }
    Style style = json(text) ? Style.DOUBLE : Style.PLAIN;
    if (n > 0 && style == Style.PLAIN) {
      // the list's own style: plain if any entry is, else quoted like its last one
      style = null;
      for (int k = 0; k < n; k++) {
        char c =
            text.charAt(
                offset(lineStarts, src.find(SourceMap.task(i, "file_scope", Integer.toString(k)))));
        style = c == '"' ? Style.DOUBLE : c == '\'' ? Style.SINGLE : Style.PLAIN;
        if (style == Style.PLAIN) {
          break;
        }
      }
    }
    Style as = style;
    if (n > 0) {
      int at =
          offset(lineStarts, src.find(SourceMap.task(i, "file_scope", Integer.toString(n - 1))));
      if (blockItem(text, at)) {
        // YAML block sequence: one "- entry" line each, at the same indentation
        int lineStart = lineStart(text, at);
        int dash = text.lastIndexOf('-', at - 1);
        String indent = " ".repeat(dash - lineStart);
        StringBuilder lines = new StringBuilder();
        for (String s : add) {
          lines.append(indent).append("- ").append(as.write(s)).append('\n');
        }
        return new Insert(nextLine(text, at), lines.toString());
      }
      StringBuilder items = new StringBuilder();
      for (String s : add) {
        items.append(", ").append(as.write(s));
      }
      return new Insert(scalarEnd(text, at), items.toString());
    }
    String list = "[" + String.join(", ", add.stream().map(as::write).toList()) + "]";
    Optional<Location> empty = src.find(SourceMap.task(i, "file_scope"));
    if (empty.isPresent()) {
      int at = offset(lineStarts, empty);
      int close = text.indexOf(']', at);
      if (text.charAt(at) != '[' || close < 0 || !text.substring(at + 1, close).isBlank()) {
        throw new IllegalArgumentException(task.id() + ": cannot edit its empty file_scope");
      }
      return new Insert(at + 1, list.substring(1, list.length() - 1));
    }
    // no file_scope: a new key next to task_id
    int idAt = offset(lineStarts, src.find(SourceMap.task(i, "task_id")));
    int keyAt = text.lastIndexOf("task_id", idAt);
    int before = keyAt - 1;
    while (before >= 0 && (text.charAt(before) == ' ' || text.charAt(before) == '"')) {
      before--;
    }
    char c = before < 0 ? '\n' : text.charAt(before);
    boolean flow = c == '{' || c == ',' || (c == '\n' && json(text));
    if (flow) {
      String key = text.charAt(keyAt - 1) == '"' ? "\"file_scope\"" : "file_scope";
      return new Insert(scalarEnd(text, idAt), ", " + key + ": " + list);
    }
    int lineStart = lineStart(text, keyAt);
    return new Insert(
        nextLine(text, idAt), " ".repeat(keyAt - lineStart) + "file_scope: " + list + "\n");
  }

  private static boolean json(String text) {
    return text.stripLeading().startsWith("{");
  }

  /** Whether the value at {@code at} is the item of a YAML block sequence ("- value"). */
  private static boolean blockItem(String text, int at) {
    int p = at - 1;
    while (p >= 0 && text.charAt(p) == ' ') {
      p--;
    }
    return p >= 0 && text.charAt(p) == '-';
  }

  /** The offset just after the scalar starting at {@code at}: quoted or plain. */
  private static int scalarEnd(String text, int at) {
    char q = text.charAt(at);
    if (q == '"' || q == '\'') {
      for (int p = at + 1; p < text.length(); p++) {
        char c = text.charAt(p);
        if (q == '"' && c == '\\') {
          p++;
        } else if (c == q) {
          if (q == '\'' && p + 1 < text.length() && text.charAt(p + 1) == '\'') {
            p++; // '' inside a single-quoted scalar
          } else {
            return p + 1;
          }
        }
      }
      throw new IllegalArgumentException("unterminated string at offset " + at);
    }
    int p = at;
    while (p < text.length() && ",]}\n\r#".indexOf(text.charAt(p)) < 0) {
      p++;
    }
    while (p > at && text.charAt(p - 1) == ' ') {
      p--;
    }
    return p;
  }

  private static int nextLine(String text, int at) {
    int nl = text.indexOf('\n', at);
    return nl < 0 ? text.length() : nl + 1;
  }

  private static int lineStart(String text, int at) {
    return text.lastIndexOf('\n', at - 1) + 1;
  }

  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int p = 0; p < text.length(); p++) {
      if (text.charAt(p) == '\n') {
        starts.add(p + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int offset(int[] lineStarts, Optional<Location> at) {
    Location l = at.orElseThrow(() -> new IllegalArgumentException("value not located"));
    if (l.line() <= 0 || l.line() > lineStarts.length) {
      throw new IllegalArgumentException("value not located");
    }
    return lineStarts[l.line() - 1] + Math.max(0, l.column() - 1);
  }

  /** A double-quoted string, valid in JSON and in YAML. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
