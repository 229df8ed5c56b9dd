package dev.braid.manifest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a GitHub spec-kit {@code tasks.md}.
 *
 * <ul>
 *   <li>{@code - [ ] T012 [P] [US1] Create model in src/models/user.py} is task {@code T012}; the
 *       first label other than {@code [P]} becomes its {@code parallelism_group}; file paths in the
 *       text become its {@code file_scope}; {@code [x]}/{@code [X]} means already done.
 *   <li>{@code ## Phase N: ...} headings run in order. Within a phase, neighbouring {@code [P]}
 *       tasks may run together and every other task runs after everything before it.
 *   <li>{@code (depends on T012, T013)} adds dependencies; {@code (Priority: P1)} in a phase
 *       heading gives its tasks priority 1.
 *   <li>A {@code **Checkpoint**: text} line becomes a task of its own ({@code Phase 2 checkpoint})
 *       that runs alone after everything before it, estimated at {@value #CHECKPOINT_MINUTES}
 *       minutes; it counts as done when every task before it is.
 * </ul>
 */
final class SpecKitReader {

  private SpecKitReader() {}

  static final double CHECKPOINT_MINUTES = 5;

  /** A checklist item, bulleted or numbered ({@code 1. [ ]}, as GitHub renders task lists). */
  static final Pattern TASK =
      Pattern.compile("^(\\s*)(?:[-*+]|\\d{1,9}[.)])\\s+\\[(.)\\]\\s+(.*)$");

  private static final Pattern ID = Pattern.compile("^(T\\d+)\\b\\s*");
  private static final Pattern LABEL = Pattern.compile("^\\[([^\\]\\s]+)\\]\\s*");
  private static final Pattern PHASE =
      Pattern.compile("^#{1,6}\\s+Phase\\s+([^:]+?)\\s*(?::.*)?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern PRIORITY =
      Pattern.compile("\\(\\s*Priority\\s*:\\s*P(\\d+)\\s*\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern CHECKPOINT =
      Pattern.compile(
          "^\\s*(?:[-*+]\\s+)?\\*\\*Checkpoint:?\\*\\*\\s*:?\\s*(.*)$", Pattern.CASE_INSENSITIVE);
  static final Pattern DEPENDS =
      Pattern.compile("\\(\\s*depends\\s+on\\s*:?([^)]*)\\)", Pattern.CASE_INSENSITIVE);

  /** What diagnostics about a {@code (depends on ...)} name, here and in checklists. */
  static final Map<String, String> WRITTEN = Map.of("depends_on_tasks", "depends on");

  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

  static ManifestReader.Result read(Path file, byte[] bytes) throws ManifestException {
    PlanDraft draft = new PlanDraft(file, WRITTEN);
    PlanDraft.InOrder order = new PlanDraft.InOrder();
    String phase = null;
    Integer priority = null;
    Location priorityAt = null;
    Map<String, Integer> checkpoints = new HashMap<>();
    boolean fenced = false;
    for (MarkdownText.Line line : MarkdownText.lines(bytes)) {
      String text = line.text();
      if (FENCE.matcher(text).find()) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m;
      if ((m = PHASE.matcher(text)).matches()) {
        order.barrier();
        phase = m.group(1).strip();
        Matcher p = PRIORITY.matcher(text);
        priority = p.find() ? Math.max(1, Math.min(5, Integer.parseInt(p.group(1)))) : null;
        priorityAt = priority == null ? null : draft.at(line.number(), p.start(1) + 1);
      } else if ((m = CHECKPOINT.matcher(text)).matches()) {
        String base = phase != null ? "Phase " + phase + " checkpoint" : "checkpoint";
        int count = checkpoints.merge(base, 1, Integer::sum);
        String id = count == 1 ? base : base + " " + count;
        Location at = draft.at(line.number(), 1);
        PlanDraft.Item cp = draft.add(id, at, at);
        cp.title = m.group(1).isBlank() ? id : m.group(1).strip();
        cp.parallel = false;
        cp.est = Estimate.ofMinutes(CHECKPOINT_MINUTES);
        cp.done = !draft.items.isEmpty() && draft.items.stream().allMatch(i -> i == cp || i.done);
        order.add(cp, false);
      } else if ((m = TASK.matcher(text)).matches()) {
        task(draft, order, line, m, priority, priorityAt);
      }
    }
    if (draft.items.isEmpty() && draft.errors.isEmpty()) {
      draft.error(
          Location.of(file), null, "no tasks: expected lines like '- [ ] T001 Description'");
    }
    return draft.build(PlanFormat.SPEC_KIT);
  }

  private static void task(
      PlanDraft draft,
      PlanDraft.InOrder order,
      MarkdownText.Line line,
      Matcher m,
      Integer priority,
      Location priorityAt) {
    int n = line.number();
    char state = m.group(2).charAt(0);
    int rest = m.start(3);
    String text = m.group(3);
    Matcher id = ID.matcher(text);
    if (!id.find()) {
      draft.warning(
          draft.at(n, rest + 1), null, "checklist item without a task id (like T001); not a task");
      return;
    }
    if (!MarkdownText.isCheckState(state)) {
      draft.error(
          draft.at(n, m.start(2) + 1),
          null,
          "checkbox must be [ ], [x] or [X], got [" + state + "]");
      return;
    }
    PlanDraft.Item item = draft.add(id.group(1), draft.at(n, m.start(2)), draft.at(n, rest + 1));
    item.done = state != ' ';
    int pos = id.end();
    boolean parallel = false;
    Matcher label;
    while ((label = LABEL.matcher(text.substring(pos))).find()) {
      String name = label.group(1);
      if (name.equals("P")) {
        parallel = true;
      } else if (item.group == null) {
        item.group = name;
      }
      pos += label.end();
    }
    String description = text.substring(pos);
    int descAt = rest + pos;
    if (description.isBlank()) {
      draft.error(draft.at(n, rest + 1), null, "task " + item.id + " has no description");
      return;
    }
    dependencies(draft, item, description, descAt, n, ID_TOKEN, "a task id like T012");
    String title = DEPENDS.matcher(description).replaceAll("").strip().replaceAll("\\s+", " ");
    item.title = title;
    for (MarkdownText.Found p : MarkdownText.paths(stripDepends(description))) {
      item.scope.add(new PlanDraft.Ref(p.value(), draft.at(n, descAt + p.start() + 1)));
    }
    MarkdownText.Found est = MarkdownText.estimate(description);
    if (est != null) {
      item.est = Estimate.ofMinutes(Double.parseDouble(est.value()));
      item.estAt = draft.at(n, descAt + est.start() + 1);
    }
    item.priority = priority;
    item.priorityAt = priorityAt;
    order.add(item, parallel);
  }

  static final Pattern ID_TOKEN = Pattern.compile("T\\d+");

  /** {@code (depends on T012, T013)}: each id must look like {@code idPattern}. */
  static void dependencies(
      PlanDraft draft,
      PlanDraft.Item item,
      String text,
      int textAt,
      int line,
      Pattern idPattern,
      String example) {
    Matcher d = DEPENDS.matcher(text);
    while (d.find()) {
      String list = d.group(1);
      int listAt = textAt + d.start(1);
      List<MarkdownText.Found> ids = MarkdownText.items(list.replace(" and ", ",    "), 0, ",;");
      if (ids.isEmpty()) {
        draft.error(
            draft.at(line, textAt + d.start() + 1),
            WRITTEN.get("depends_on_tasks"),
            "'(depends on ...)' names no task");
      }
      for (MarkdownText.Found f : ids) {
        Location at = draft.at(line, listAt + f.start() + 1);
        if (!idPattern.matcher(f.value()).matches()) {
          draft.error(
              at,
              WRITTEN.get("depends_on_tasks"),
              "expected " + example + ", got '" + f.value() + "'");
        } else {
          item.dependOn(f.value(), at);
        }
      }
    }
  }

  /** The text with its {@code (depends on ...)} parts blanked, keeping character positions. */
  static String stripDepends(String text) {
    Matcher d = DEPENDS.matcher(text);
    StringBuilder b = new StringBuilder(text);
    while (d.find()) {
      for (int i = d.start(); i < d.end(); i++) {
        b.setCharAt(i, ' ');
      }
    }
    return b.toString();
  }
}
