package dev.braid.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the seeds' micro-task notation (seed 000).
 *
 * <ul>
 *   <li>{@code MT 1.1: Create user schema (15 min)} is task {@code MT 1.1}, whether it stands
 *       alone, as a heading, in bold, in a list, after a checkbox or in a {@code ├──} tree. {@code
 *       [x]} or a leading {@code ✓} means done.
 *   <li>Indented {@code Dependencies: 1.1 (schema), 2.1} and {@code Parallel with: 1.2, 1.3} lines
 *       belong to the task above. {@code Parallel with} lists the only tasks it may overlap: it
 *       conflicts with every other task it is not ordered with; {@code Parallel with: None} makes
 *       it run alone.
 *   <li>{@code PARALLEL:} / {@code SEQUENTIAL:} blocks, and headings that say {@code Parallel} or
 *       {@code Sequential}, are groups that run one after another: all tasks of a parallel group
 *       may run together, those of a sequential group run in order.
 *   <li>A dependency-matrix table ({@code | Task | Depends On | Can Parallelize With |}) gives one
 *       task per row, named by its first cell. {@code All API + UI} names every task whose name
 *       starts with {@code API} or {@code UI}.
 * </ul>
 */
final class MicroTaskReader {

  private MicroTaskReader() {}

  static final Pattern TASK =
      Pattern.compile(
          "^([\\s#│├└─\\-*+>✓○→•]*)(?:\\[(.)\\]\\s*)?(✓\\s*)?(?:\\*\\*)?MT\\s*(\\d+(?:\\.\\d+)*)"
              + "(?:\\*\\*)?\\s*:(?:\\*\\*)?\\s*(.*)$");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
  private static final Pattern MARKER =
      Pattern.compile(
          "^\\s*(?:THEN\\s+)?(PARALLEL|SEQUENTIAL)\\b[^:]*:\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern DEPENDENCIES =
      Pattern.compile(
          "^\\s*(?:[-*+]\\s+)?(?:\\*\\*)?(?:Dependencies|Depends on)(?:\\*\\*)?\\s*:(?:\\*\\*)?(.*)$",
          Pattern.CASE_INSENSITIVE);

  /** What diagnostics about a {@code Dependencies:} line name, as the user wrote it. */
  private static final String DEPENDENCIES_FIELD = "Dependencies";

  /** What diagnostics about a {@code Parallel with:} line name, as the user wrote it. */
  private static final String PARALLEL_WITH_FIELD = "Parallel with";

  private static final Pattern PARALLEL_WITH =
      Pattern.compile(
          "^\\s*(?:[-*+]\\s+)?(?:\\*\\*)?Parallel with(?:\\*\\*)?\\s*:(?:\\*\\*)?(.*)$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern REF = Pattern.compile("(?:MT\\s*)?(\\d+(?:\\.\\d+)*)");
  static final Pattern SEPARATOR_ROW = Pattern.compile("^[\\s|:\\-]+$");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

  private enum Mode {
    PARALLEL,
    SEQUENTIAL
  }

  private static final class Group {
    Mode mode;
    final List<PlanDraft.Item> items = new ArrayList<>();

    Group(Mode mode) {
      this.mode = mode;
    }
  }

  /** A cell of a table row, with the character index where its text starts. */
  record Cell(String text, int at) {}

  static final class Reader {
    final PlanDraft draft;
    final List<Group> groups = new ArrayList<>();
    final Map<PlanDraft.Item, List<PlanDraft.Ref>> parallelWith = new LinkedHashMap<>();
    final Map<PlanDraft.Item, Location> parallelWithAt = new HashMap<>();
    final List<PlanDraft.Item> rows = new ArrayList<>();
    final Map<PlanDraft.Item, List<PlanDraft.Ref>> rowDeps = new HashMap<>();
    final Map<PlanDraft.Item, List<PlanDraft.Ref>> rowParallel = new HashMap<>();
    // the header of the row's parallel column, as the user wrote it: what its diagnostics name
    final Map<PlanDraft.Item, String> rowParallelColumn = new HashMap<>();
    PlanDraft.Item last;

    Reader(Path file) {
      this.draft = new PlanDraft(file, Map.of("depends_on_tasks", DEPENDENCIES_FIELD));
      groups.add(new Group(null));
    }

    Group group() {
      return groups.get(groups.size() - 1);
    }

    void read(List<MarkdownText.Line> lines) {
      for (int i = 0; i < lines.size(); i++) {
        MarkdownText.Line line = lines.get(i);
        String text = line.text();
        int n = line.number();
        Matcher m;
        if (FENCE.matcher(text).find()) {
          continue;
        }
        if ((m = HEADING.matcher(text)).matches() && !TASK.matcher(text).matches()) {
          // a heading that is a task (### MT 1.1: ...) belongs to the group above it
          groups.add(new Group(mode(m.group(1))));
          last = null;
        } else if ((m = MARKER.matcher(text)).matches()) {
          Mode mode = mode(m.group(1));
          if (group().items.isEmpty()) {
            group().mode = mode;
          } else {
            groups.add(new Group(mode));
          }
        } else if ((m = TASK.matcher(text)).matches()) {
          task(line, m);
        } else if ((m = DEPENDENCIES.matcher(text)).matches()) {
          if (last == null) {
            draft.error(draft.at(n, 1), DEPENDENCIES_FIELD, "'Dependencies:' before any task");
            continue;
          }
          for (PlanDraft.Ref r : refs(m.group(1), m.start(1), n, DEPENDENCIES_FIELD)) {
            last.dependOn(r.value(), r.at());
          }
        } else if ((m = PARALLEL_WITH.matcher(text)).matches()) {
          if (last == null) {
            draft.error(draft.at(n, 1), PARALLEL_WITH_FIELD, "'Parallel with:' before any task");
            continue;
          }
          if (MarkdownText.isNone(m.group(1))) {
            last.parallel = false;
          } else {
            parallelWith.put(last, refs(m.group(1), m.start(1), n, PARALLEL_WITH_FIELD));
            parallelWithAt.put(last, draft.at(n, m.start(1) + 1));
          }
        } else if (isMatrixHeader(text)) {
          i = table(lines, i);
          last = null;
        }
      }
    }

    private static Mode mode(String text) {
      String t = text.toLowerCase(Locale.ROOT);
      if (t.contains("parallel")) {
        return Mode.PARALLEL;
      }
      return t.contains("sequential") ? Mode.SEQUENTIAL : null;
    }

    private void task(MarkdownText.Line line, Matcher m) {
      int n = line.number();
      String state = m.group(2);
      if (state != null && !MarkdownText.isCheckState(state.charAt(0))) {
        draft.error(
            draft.at(n, m.start(2) + 1),
            null,
            "checkbox must be [ ], [x] or [X], got [" + state + "]");
        last = null;
        return;
      }
      String title = m.group(5).strip();
      if (title.endsWith("**") && !title.substring(0, title.length() - 2).contains("**")) {
        title = title.substring(0, title.length() - 2).strip(); // **MT 1.1: Schema**
      }
      if (title.isEmpty()) {
        draft.error(
            draft.at(n, m.start(5) + 1), "title", "task MT " + m.group(4) + " has no title");
        last = null;
        return;
      }
      int idAt = line.text().lastIndexOf("MT", m.start(4));
      PlanDraft.Item item =
          draft.add("MT " + m.group(4), draft.at(n, idAt + 1), draft.at(n, idAt + 1));
      item.title = title;
      item.done =
          (state != null && state.charAt(0) != ' ')
              || m.group(3) != null
              || m.group(1).contains("✓");
      MarkdownText.Found est = MarkdownText.estimate(title);
      if (est != null) {
        item.est = Estimate.ofMinutes(Double.parseDouble(est.value()));
        item.estAt = draft.at(n, m.start(5) + est.start() + 1);
      }
      group().items.add(item);
      last = item;
    }

    /** {@code 1.1 (schema), MT 2.1}: ids of micro-tasks; {@code None} is none. */
    private List<PlanDraft.Ref> refs(String list, int listAt, int line, String field) {
      List<PlanDraft.Ref> out = new ArrayList<>();
      if (MarkdownText.isNone(list)) {
        return out;
      }
      for (MarkdownText.Found f : MarkdownText.items(list, listAt, ",;")) {
        Matcher r = REF.matcher(f.value());
        Location at = draft.at(line, f.start() + 1);
        if (r.matches()) {
          out.add(new PlanDraft.Ref("MT " + r.group(1), at));
        } else {
          draft.error(
              at, field, "expected a micro-task id like 1.1 or MT 1.1, got '" + f.value() + "'");
        }
      }
      return out;
    }

    // ------------------------------------------------------------ dependency matrix

    static boolean isMatrixHeader(String text) {
      if (text.indexOf('|') < 0) {
        return false;
      }
      List<Cell> cells = cells(text);
      return cells.size() >= 2
          && cells.get(0).text().toLowerCase(Locale.ROOT).startsWith("task")
          && cells.get(1).text().toLowerCase(Locale.ROOT).startsWith("depend");
    }

    /** Reads the table starting at {@code header}; returns the index of its last line. */
    private int table(List<MarkdownText.Line> lines, int header) {
      List<Cell> head = cells(lines.get(header).text());
      int parallelColumn = -1;
      int estColumn = -1;
      for (int c = 2; c < head.size(); c++) {
        String h = head.get(c).text().toLowerCase(Locale.ROOT);
        if (h.contains("parallel")) {
          parallelColumn = c;
        } else if (h.startsWith("est") || h.contains("time") || h.contains("min")) {
          estColumn = c;
        }
      }
      int i = header + 1;
      if (i < lines.size() && SEPARATOR_ROW.matcher(lines.get(i).text()).matches()) {
        i++;
      }
      for (; i < lines.size(); i++) {
        MarkdownText.Line line = lines.get(i);
        if (line.text().indexOf('|') < 0 || line.text().isBlank()) {
          break;
        }
        int n = line.number();
        List<Cell> cells = cells(line.text());
        if (cells.size() != head.size()) {
          draft.error(
              draft.at(n, 1),
              null,
              "table row has " + cells.size() + " cells, the header has " + head.size());
          continue;
        }
        Cell name = cells.get(0);
        String id = name.text();
        boolean done = id.startsWith("✓");
        int idAt = name.at();
        if (done) {
          id = id.substring(1).strip();
          idAt = line.text().indexOf(id, idAt);
        }
        if (id.isEmpty()) {
          draft.error(draft.at(n, name.at() + 1), "task_id", "table row without a task name");
          continue;
        }
        PlanDraft.Item item = draft.add(id, draft.at(n, idAt + 1), draft.at(n, idAt + 1));
        item.title = id;
        item.done = done;
        rows.add(item);
        rowDeps.put(item, names(cells.get(1), n));
        item.depsWritten = header(head.get(1));
        if (parallelColumn >= 0) {
          Cell p = cells.get(parallelColumn);
          if (MarkdownText.isNone(p.text())) {
            item.parallel = false;
          } else {
            rowParallel.put(item, names(p, n));
            rowParallelColumn.put(item, header(head.get(parallelColumn)));
            parallelWithAt.put(item, draft.at(n, p.at() + 1));
          }
        }
        if (estColumn >= 0) {
          Cell e = cells.get(estColumn);
          MarkdownText.Found est = MarkdownText.estimate("(" + e.text() + ")");
          if (est != null) {
            item.est = Estimate.ofMinutes(Double.parseDouble(est.value()));
            item.estAt = draft.at(n, e.at() + 1);
          } else if (!MarkdownText.isNone(e.text())) {
            draft.error(
                draft.at(n, e.at() + 1),
                header(head.get(estColumn)),
                "expected an estimate like 15 min, got '" + e.text() + "'");
          }
        }
      }
      return i - 1;
    }

    /** A column's header without its Markdown emphasis: {@code Can Parallelize With}. */
    private static String header(Cell cell) {
      return cell.text().replaceAll("[*_`]", "").strip();
    }

    private List<PlanDraft.Ref> names(Cell cell, int line) {
      List<PlanDraft.Ref> out = new ArrayList<>();
      if (MarkdownText.isNone(cell.text())) {
        return out;
      }
      for (MarkdownText.Found f : MarkdownText.items(cell.text(), cell.at(), ",+")) {
        out.add(new PlanDraft.Ref(f.value(), draft.at(line, f.start() + 1)));
      }
      return out;
    }

    static List<Cell> cells(String row) {
      List<Cell> out = new ArrayList<>();
      int start = 0;
      String r = row;
      int first = 0;
      while (first < r.length() && Character.isWhitespace(r.charAt(first))) {
        first++;
      }
      if (first < r.length() && r.charAt(first) == '|') {
        start = first + 1;
      }
      int end = r.length();
      while (end > start && Character.isWhitespace(r.charAt(end - 1))) {
        end--;
      }
      if (end > start && r.charAt(end - 1) == '|') {
        end--;
      }
      int from = start;
      for (int i = start; i <= end; i++) {
        if (i == end || r.charAt(i) == '|') {
          String raw = r.substring(from, i);
          int lead = 0;
          while (lead < raw.length() && Character.isWhitespace(raw.charAt(lead))) {
            lead++;
          }
          out.add(new Cell(raw.strip(), from + lead));
          from = i + 1;
        }
      }
      return out;
    }

    /** Names in a table cell: exact task names, or every task whose name starts with the words. */
    private List<PlanDraft.Ref> resolve(PlanDraft.Ref ref, Map<String, String> names) {
      String v = ref.value();
      if (v.regionMatches(true, 0, "All ", 0, 4)) {
        v = v.substring(4).strip();
      }
      String lower = v.toLowerCase(Locale.ROOT);
      String exact = names.get(lower);
      if (exact != null) {
        return List.of(new PlanDraft.Ref(exact, ref.at()));
      }
      Matcher mt = REF.matcher(v);
      if (mt.matches() && names.containsKey(("MT " + mt.group(1)).toLowerCase(Locale.ROOT))) {
        return List.of(new PlanDraft.Ref("MT " + mt.group(1), ref.at()));
      }
      List<PlanDraft.Ref> out = new ArrayList<>();
      for (Map.Entry<String, String> e : names.entrySet()) {
        if (e.getKey().startsWith(lower + " ")) {
          out.add(new PlanDraft.Ref(e.getValue(), ref.at()));
        }
      }
      out.sort(java.util.Comparator.comparing(PlanDraft.Ref::value));
      return out;
    }

    ManifestReader.Result finish() throws ManifestException {
      Map<String, String> names = new LinkedHashMap<>();
      for (PlanDraft.Item item : draft.items) {
        names.putIfAbsent(item.id.toLowerCase(Locale.ROOT), item.id);
      }
      for (PlanDraft.Item row : rows) {
        for (PlanDraft.Ref r : rowDeps.get(row)) {
          List<PlanDraft.Ref> targets = resolve(r, names);
          if (targets.isEmpty()) {
            row.dependOn(r.value(), r.at()); // validation names it as unknown
          }
          targets.forEach(t -> row.dependOn(t.value(), t.at()));
        }
        List<PlanDraft.Ref> pw = rowParallel.get(row);
        if (pw != null) {
          List<PlanDraft.Ref> resolved = new ArrayList<>();
          for (PlanDraft.Ref r : pw) {
            List<PlanDraft.Ref> targets = resolve(r, names);
            if (targets.isEmpty()) {
              draft.warning(
                  r.at(),
                  rowParallelColumn.get(row),
                  "names no task: '" + r.value() + "'; ignored");
            }
            resolved.addAll(targets);
          }
          parallelWith.put(row, resolved);
        }
      }
      chainGroups();
      whitelists();
      if (draft.items.isEmpty() && draft.errors.isEmpty()) {
        draft.error(
            Location.of(draft.file),
            null,
            "no tasks: expected lines like 'MT 1.1: Title' or a '| Task | Depends On |' table");
      }
      return draft.build(PlanFormat.MICRO_TASKS);
    }

    private void chainGroups() {
      List<PlanDraft.Item> exit = List.of();
      for (Group g : groups) {
        if (g.mode == null || g.items.isEmpty()) {
          continue;
        }
        List<PlanDraft.Item> before = exit;
        for (PlanDraft.Item item : g.items) {
          for (PlanDraft.Item b : before) {
            if (!b.id.equals(item.id)) {
              // a second task with an earlier one's id is an error validation reports; an edge to
              // its namesake would add a false "depends on itself"
              item.dependOn(b.id, item.at);
            }
          }
          if (g.mode == Mode.SEQUENTIAL) {
            before = List.of(item);
          }
        }
        exit = g.mode == Mode.SEQUENTIAL ? List.of(g.items.get(g.items.size() - 1)) : g.items;
      }
    }

    /**
     * {@code Parallel with} lists are the only tasks a task may overlap: every other task not
     * ordered with it (by dependencies, either way) conflicts with it. ({@code None} was read as
     * {@code parallel: false}.)
     */
    private void whitelists() {
      Map<String, PlanDraft.Item> byId = draft.byId();
      Map<String, Set<String>> ancestors = new HashMap<>();
      for (Map.Entry<PlanDraft.Item, List<PlanDraft.Ref>> e : parallelWith.entrySet()) {
        PlanDraft.Item item = e.getKey();
        List<PlanDraft.Ref> allowed = e.getValue();
        Set<String> ok = new HashSet<>();
        for (PlanDraft.Ref r : allowed) {
          if (byId.containsKey(r.value())) {
            ok.add(r.value());
          } else if (!rows.contains(item)) {
            draft.warning(
                r.at(), PARALLEL_WITH_FIELD, "names no task: '" + r.value() + "'; ignored");
          }
        }
        Set<String> mine = ancestors(item, byId, ancestors);
        Location at = parallelWithAt.get(item);
        for (PlanDraft.Item other : draft.items) {
          if (other == item
              || other.id.equals(item.id)
              || ok.contains(other.id)
              || mine.contains(other.id)
              || ancestors(other, byId, ancestors).contains(item.id)) {
            continue;
          }
          item.conflictWith(other.id, at);
          other.conflictWith(item.id, at);
        }
      }
    }

    private static Set<String> ancestors(
        PlanDraft.Item item, Map<String, PlanDraft.Item> byId, Map<String, Set<String>> memo) {
      Set<String> known = memo.get(item.id);
      if (known != null) {
        return known;
      }
      Set<String> seen = new HashSet<>();
      List<PlanDraft.Item> stack = new ArrayList<>(List.of(item));
      while (!stack.isEmpty()) {
        PlanDraft.Item v = stack.remove(stack.size() - 1);
        for (PlanDraft.Ref r : v.deps) {
          PlanDraft.Item d = byId.get(r.value());
          if (d != null && seen.add(d.id)) {
            stack.add(d);
          }
        }
      }
      memo.put(item.id, seen);
      return seen;
    }
  }

  static ManifestReader.Result read(Path file, byte[] bytes) throws ManifestException {
    Reader r = new Reader(file);
    r.read(MarkdownText.lines(bytes));
    return r.finish();
  }
}
