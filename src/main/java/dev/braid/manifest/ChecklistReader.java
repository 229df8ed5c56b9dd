package dev.braid.manifest;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plain Markdown checklist, the simplest plan a person can write: every {@code - [ ]} line
 * (or numbered {@code 1. [ ]} line) is a task, numbered {@code 1}, {@code 2}, ... in file order
 * (checked ones included, so numbers stay put as tasks get done). Tasks run in order; a task
 * starting with {@code [P]} may run together with the {@code [P]} tasks right before it. {@code
 * (depends on 2, 3)}, file paths and {@code (15 min)} are read as in spec-kit files. Lines in code
 * fences are examples, not tasks.
 */
final class ChecklistReader {

  private ChecklistReader() {}

  private static final Pattern PARALLEL = Pattern.compile("^\\[P\\]\\s*");
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

  static ManifestReader.Result read(Path file, byte[] bytes) throws ManifestException {
    PlanDraft draft = new PlanDraft(file, SpecKitReader.WRITTEN);
    PlanDraft.InOrder order = new PlanDraft.InOrder();
    boolean fenced = false;
    int number = 0;
    for (MarkdownText.Line line : MarkdownText.lines(bytes)) {
      String text = line.text();
      if (FENCE.matcher(text).find()) {
        fenced = !fenced;
        continue;
      }
      Matcher m = SpecKitReader.TASK.matcher(text);
      if (fenced || !m.matches()) {
        continue;
      }
      number++;
      int n = line.number();
      char state = m.group(2).charAt(0);
      if (!MarkdownText.isCheckState(state)) {
        draft.error(
            draft.at(n, m.start(2) + 1),
            null,
            "checkbox must be [ ], [x] or [X], got [" + state + "]");
        continue;
      }
      String rest = m.group(3);
      int restAt = m.start(3);
      Matcher p = PARALLEL.matcher(rest);
      boolean parallel = p.find();
      int descAt = restAt + (parallel ? p.end() : 0);
      String description = text.substring(descAt);
      if (description.isBlank()) {
        draft.error(draft.at(n, restAt + 1), null, "task " + number + " has no text");
        continue;
      }
      Location at = draft.at(n, m.start(2));
      PlanDraft.Item item = draft.add(Integer.toString(number), at, draft.at(n, descAt + 1));
      item.done = state != ' ';
      SpecKitReader.dependencies(
          draft, item, description, descAt, n, NUMBER, "a task number like 3");
      item.title =
          SpecKitReader.DEPENDS.matcher(description).replaceAll("").strip().replaceAll("\\s+", " ");
      for (MarkdownText.Found f : MarkdownText.paths(SpecKitReader.stripDepends(description))) {
        item.scope.add(new PlanDraft.Ref(f.value(), draft.at(n, descAt + f.start() + 1)));
      }
      MarkdownText.Found est = MarkdownText.estimate(description);
      if (est != null) {
        item.est = Estimate.ofMinutes(Double.parseDouble(est.value()));
        item.estAt = draft.at(n, descAt + est.start() + 1);
      }
      order.add(item, parallel);
    }
    if (number == 0 && draft.errors.isEmpty()) {
      draft.error(
          Location.of(file),
          null,
          "no tasks: a Markdown plan is read from checklist lines ('- [ ] Do something' or '1. [ ]"
              + " Do something'), spec-kit tasks ('- [ ] T001 Do something') or micro-tasks"
              + " ('MT 1.1: Do something')");
    }
    return draft.build(PlanFormat.CHECKLIST);
  }
}
