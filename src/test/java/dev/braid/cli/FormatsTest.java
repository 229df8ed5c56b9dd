package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans in other people's notations, read through the CLI: what each one means to Braid. */
class FormatsTest {

  static final String DIR = "examples/formats/";

  @TempDir Path dir;

  /** The plan as Braid reads it, through {@code braid convert --to json}. */
  private JsonNode convert(String file, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("convert", file, "--to", "json"));
    args.addAll(List.of(more));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r).succeeded();
    return new ObjectMapper().readTree(r.out());
  }

  private static JsonNode task(JsonNode plan, String id) {
    for (JsonNode t : plan.get("tasks")) {
      if (t.get("task_id").asText().equals(id)) {
        return t;
      }
    }
    throw new AssertionError("no task " + id + " in " + plan);
  }

  private static List<String> ids(JsonNode plan) {
    List<String> out = new ArrayList<>();
    plan.get("tasks").forEach(t -> out.add(t.get("task_id").asText()));
    return out;
  }

  private static List<String> list(JsonNode task, String field) {
    List<String> out = new ArrayList<>();
    if (task.has(field)) {
      task.get(field).forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  // ---------------------------------------------------------------- spec-kit

  @Test
  void specKitPhasesRunInOrderAndParallelTasksTogether() throws Exception {
    JsonNode plan = convert(DIR + "tasks.md");
    assertThat(ids(plan))
        .containsExactly(
            "T002", "T003", "T004", "T005", "T006", "T007", "Phase 2 checkpoint", "T008", "T009");
    assertThat(list(task(plan, "T002"), "depends_on_tasks")).isEmpty(); // T001 is done
    assertThat(list(task(plan, "T003"), "depends_on_tasks")).isEmpty();
    assertThat(list(task(plan, "T004"), "depends_on_tasks")).containsExactly("T002", "T003");
    assertThat(list(task(plan, "T006"), "depends_on_tasks")).containsExactly("T004", "T005");
    assertThat(list(task(plan, "T007"), "depends_on_tasks")).containsExactly("T006");
    JsonNode checkpoint = task(plan, "Phase 2 checkpoint");
    assertThat(checkpoint.get("parallel").asBoolean()).isFalse();
    assertThat(checkpoint.get("title").asText()).isEqualTo("User Story 1 works on its own");
    assertThat(checkpoint.get("est").get("minutes").asInt()).isEqualTo(5);
    assertThat(list(task(plan, "T008"), "depends_on_tasks")).containsExactly("Phase 2 checkpoint");
    JsonNode t004 = task(plan, "T004");
    assertThat(list(t004, "file_scope")).containsExactly("src/models/cart.py");
    assertThat(t004.get("parallelism_group").asText()).isEqualTo("US1");
    assertThat(t004.get("priority").asInt()).isEqualTo(1);
    assertThat(task(plan, "T006").get("title").asText())
        .isEqualTo("Cart service in src/services/cart_service.py");
    assertThat(list(task(plan, "T002"), "file_scope")).containsExactly(".eslintrc.json");
  }

  @Test
  void validateSaysWhichFormatAndWhatIsDone() {
    assertThat(Cli.run("validate", DIR + "tasks.md"))
        .succeeded()
        .printed(DIR + "tasks.md: ok, 9 tasks (spec-kit, 1 already done)")
        .complained("none of the 9 tasks has a command or agent");
  }

  @Test
  void specKitErrorsNameTheLine() throws Exception {
    Path p =
        write(
            "tasks.md",
            """
            ## Phase 1: Setup
            - [ ] T001 Create structure
            - [?] T002 Configure linting
            - [ ] T003 Write docs (depends on T099)
            - [ ] T004 Write more docs (depends on soon)
            """);
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .noStackTrace()
        .complained(
            p + ":3:4: error: checkbox must be [ ], [x] or [X], got [?]",
            p + ":5:40: error: depends on: expected a task id like T012, got 'soon'");
    Files.writeString(p, "- [ ] T001 A\n- [ ] T002 B (depends on T099)\n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(p + ":2:26: error: depends on: names unknown task 'T099'");
  }

  // ---------------------------------------------------------------- Task Master

  @Test
  void taskMasterTaggedRunsSubtasksAndSkipsDone() throws Exception {
    JsonNode plan = convert(DIR + "tasks.json");
    assertThat(ids(plan)).containsExactly("2.1", "2.2", "3");
    assertThat(list(task(plan, "2.1"), "depends_on_tasks")).isEmpty(); // 1 is done
    assertThat(list(task(plan, "2.2"), "depends_on_tasks")).containsExactly("2.1");
    assertThat(list(task(plan, "3"), "depends_on_tasks")).containsExactly("2.1", "2.2");
    assertThat(task(plan, "2.1").get("priority").asInt()).isEqualTo(1);
    assertThat(task(plan, "3").get("description").asText()).isEqualTo("The cart page.");
  }

  @Test
  void taskMasterPlainFormWithFinishedStatusesAndSubtaskReferences() throws Exception {
    Path p =
        write(
            "tasks.json",
            """
            {"tasks": [
              {"id": 1, "title": "A", "status": "cancelled", "dependencies": []},
              {"id": 2, "title": "B", "status": "deferred", "dependencies": [1]},
              {"id": 3, "title": "C", "status": "pending", "dependencies": [2], "priority": "low",
               "details": "Do it well", "testStrategy": "Unit tests",
               "subtasks": [
                 {"id": 1, "title": "C one", "status": "done", "dependencies": []},
                 {"id": 2, "title": "C two", "status": "pending", "dependencies": [1]},
                 {"id": 3, "title": "C three", "status": "review", "dependencies": ["3.2", 4]}
               ]},
              {"id": 4, "title": "D", "status": "in-progress", "dependencies": []},
              {"id": 5, "title": "E", "status": "completed", "priority": "critical"}
            ]}
            """);
    Cli.Result r = Cli.run("validate", p.toString());
    assertThat(r).succeeded();
    assertThat(r.err()).doesNotContain("unknown status"); // tm-core's other word for done
    JsonNode plan = convert(p.toString());
    assertThat(ids(plan)).containsExactly("3.2", "3.3", "4");
    assertThat(list(task(plan, "3.2"), "depends_on_tasks")).isEmpty();
    assertThat(list(task(plan, "3.3"), "depends_on_tasks")).containsExactly("3.2", "4");
    assertThat(task(plan, "3.3").get("priority").asInt()).isEqualTo(5);
  }

  @Test
  void taskMasterErrorsNameTheLine() throws Exception {
    Path p =
        write(
            "tasks.json",
            """
            {"tasks": [
              {"id": 1, "title": "A", "dependencies": [9], "priority": "urgent"},
              {"id": 2, "title": "B", "dependencies": "1"}
            ]}
            """);
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .noStackTrace()
        .complained(
            p + ":2:60: error: priority: must be critical, high, medium or low, got 'urgent'",
            p + ":3:43: error: dependencies: expected a list of task ids," + " got a string");
    Files.writeString(
        p, "{\"tasks\": [\n  {\"id\": 1, \"title\": \"A\" \"status\": \"done\"}\n]}\n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(p + ":2:26: error: syntax error");
    Files.writeString(
        p, "{\"tasks\": [\n  {\"id\": 1, \"title\": \"A\", \"dependencies\": [7]}\n]}\n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(p + ":2:44: error: dependencies: names unknown task '7'");
    // validation names Task Master's fields too, not Braid's task_id and depends_on_tasks
    Files.writeString(
        p,
        "{\"tasks\": [\n  {\"id\": 1, \"title\": \"A\", \"dependencies\": [1]},\n"
            + "  {\"id\": 1, \"title\": \"B\"}\n]}\n");
    Cli.Result r = Cli.run("validate", p.toString());
    assertThat(r)
        .exitedWith(2)
        .complained(
            p + ":2:44: error: dependencies: task '1' depends on itself",
            p + ":3:10: error: id: duplicate id '1' (first defined at " + p + ":2:10)");
    assertThat(r.err()).doesNotContain("depends_on_tasks", "task_id");
  }

  @Test
  void taskMastersCurrentTagIsTheOneReadAndMarkedDone() throws Exception {
    // task-master use-tag feature-x records it in .taskmaster/state.json; task-master list then
    // shows feature-x's tasks, and so must braid (it read master's).
    Path p = dir.resolve(".taskmaster/tasks/tasks.json");
    Files.createDirectories(p.getParent());
    Files.writeString(
        p,
        """
        {"master": {"tasks": [{"id": 1, "title": "M1", "status": "pending"}]},
         "feature-x": {"tasks": [{"id": 1, "title": "X1", "status": "pending"},
                                 {"id": 2, "title": "X2", "status": "pending", "dependencies": [1]}]}}
        """);
    assertThat(ids(convert(p.toString()))).containsExactly("1"); // no state.json: master
    Path state = dir.resolve(".taskmaster/state.json");
    Files.writeString(state, "{\"currentTag\": \"feature-x\", \"branchTagMapping\": {}}\n");
    JsonNode plan = convert(p.toString());
    assertThat(ids(plan)).containsExactly("1", "2");
    assertThat(task(plan, "2").get("title").asText()).isEqualTo("X2");

    Cli.Result run =
        Cli.run(
            "run",
            p.toString(),
            "--plain",
            "-q",
            "--command",
            "true",
            "--state-dir",
            dir.resolve("state").toString());
    assertThat(run).succeeded();
    JsonNode file = new ObjectMapper().readTree(p.toFile());
    assertThat(file.at("/feature-x/tasks/0/status").asText()).isEqualTo("done");
    assertThat(file.at("/feature-x/tasks/1/status").asText()).isEqualTo("done");
    assertThat(file.at("/master/tasks/0/status").asText()).isEqualTo("pending");

    Files.writeString(state, "{\"currentTag\": \"feature-y\"}\n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(
            p
                + ":1:1: error: tasks: no tag 'feature-y', the current tag in"
                + " .taskmaster/state.json (tags here: master, feature-x)");
  }

  @Test
  void anUnknownDependencyOfATaskWithSubtasksIsOneError() throws Exception {
    // Each subtask inherits the parent's dependencies, all written in one place.
    Path p =
        write(
            "tasks.json",
            """
            {"tasks": [
              {"id": 2, "title": "B", "dependencies": [7], "subtasks": [
                {"id": 1, "title": "B1", "dependencies": []},
                {"id": 2, "title": "B2", "dependencies": [1]},
                {"id": 3, "title": "B3", "dependencies": [1]}]}
            ]}
            """);
    Cli.Result r = Cli.run("validate", p.toString());
    assertThat(r).exitedWith(2);
    assertThat(r.err())
        .containsOnlyOnce(p + ":2:44: error: dependencies: names unknown task '7'")
        .endsWith("\n1 error\n");
  }

  // ---------------------------------------------------------------- micro-tasks

  @Test
  void aTaskMasterFileWhoseTagsAreAllEmptyIsStillTaskMasters() throws Exception {
    // A new tag, tasks not yet parsed into it: Task Master's own words, not "tasks: missing".
    Path p =
        write(
            "tasks.json",
            """
            {"feature-a": {"tasks": [], "metadata": {"description": "x"}},
             "feature-b": {"tasks": []}}
            """);
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(p + ":1:1: error: tasks: several tags (feature-a, feature-b)");
    Files.writeString(p, "{\"feature-a\": {\"tasks\": []}}\n");
    Cli.Result r = Cli.run("validate", p.toString());
    assertThat(r).exitedWith(2);
    assertThat(r.err()).contains("tasks: no tasks").doesNotContain("unknown field");
  }

  @Test
  void microTaskNotationReadsDependenciesAndParallelWith() throws Exception {
    JsonNode plan = convert(DIR + "micro-tasks.md");
    assertThat(ids(plan))
        .containsExactly("MT 1.1", "MT 1.2", "MT 1.3", "MT 2.1", "MT 2.2", "MT 3.1");
    assertThat(list(task(plan, "MT 2.1"), "depends_on_tasks")).containsExactly("MT 1.1");
    assertThat(list(task(plan, "MT 3.1"), "depends_on_tasks")).containsExactly("MT 1.2", "MT 2.1");
    assertThat(task(plan, "MT 3.1").get("parallel").asBoolean()).isFalse(); // Parallel with: None
    assertThat(task(plan, "MT 1.1").get("est").get("minutes").asInt()).isEqualTo(15);
    // 2.1 may overlap only 2.2 (and is ordered after 1.1): 1.2 and 1.3 must not overlap it
    assertThat(list(task(plan, "MT 2.1"), "conflicts_with")).containsExactly("MT 1.2", "MT 1.3");
  }

  @Test
  void microTaskBatchesRunOneAfterAnother() throws Exception {
    Path p =
        write(
            "batches.md",
            """
            ## Parallel Batch 1 (Start all simultaneously)
            - [x] MT 1.1: Database schema (15 min)
            - [ ] MT 1.2: UI component shell (10 min)
            - [ ] MT 1.3: Test structure (10 min)

            ## Sequential Batch 2 (After Batch 1 completes)
            - [ ] MT 2.1: API endpoint (20 min)
            - [ ] MT 2.2: Connect UI to API (15 min)
            ✓ MT 2.3: Integration tests (20 min)

            PARALLEL:
            ├── MT 3.1: Docs
            └── MT 3.2: Changelog
            """);
    JsonNode plan = convert(p.toString());
    assertThat(ids(plan))
        .containsExactly("MT 1.2", "MT 1.3", "MT 2.1", "MT 2.2", "MT 3.1", "MT 3.2");
    assertThat(list(task(plan, "MT 1.2"), "depends_on_tasks")).isEmpty();
    assertThat(list(task(plan, "MT 2.1"), "depends_on_tasks")).containsExactly("MT 1.2", "MT 1.3");
    assertThat(list(task(plan, "MT 2.2"), "depends_on_tasks")).containsExactly("MT 2.1");
    // 2.3 is done: the next batch waits for what 2.3 waited for
    assertThat(list(task(plan, "MT 3.1"), "depends_on_tasks")).containsExactly("MT 2.2");
    assertThat(list(task(plan, "MT 3.2"), "depends_on_tasks")).containsExactly("MT 2.2");
  }

  @Test
  void microTasksWrittenAsHeadingsOrInBoldAreTasksAndAreMarkedDoneThere() throws Exception {
    // How Markdown editors (and the agents that write plans) set them out: a heading per task
    // inside a group's heading, or the id in bold. These were "'Dependencies:' before any task".
    Path p =
        write(
            "plan.md",
            """
            ## Phase 1 (Parallel)

            ### MT 1.1: Create user schema (15 min)
            - **Dependencies:** None

            ### MT 1.2: Create user UI (10 min)
            - **Dependencies:** None

            ## Phase 2 (Sequential)

            - **MT 2.1**: User API (20 min)
              Dependencies: 1.1
            - [ ] **MT 2.2:** Connect UI to API
            **MT 2.3: Docs**
            """);
    JsonNode plan = convert(p.toString());
    assertThat(ids(plan)).containsExactly("MT 1.1", "MT 1.2", "MT 2.1", "MT 2.2", "MT 2.3");
    assertThat(list(task(plan, "MT 1.2"), "depends_on_tasks")).isEmpty(); // same parallel group
    assertThat(list(task(plan, "MT 2.1"), "depends_on_tasks")).containsExactly("MT 1.1", "MT 1.2");
    assertThat(list(task(plan, "MT 2.2"), "depends_on_tasks")).containsExactly("MT 2.1");
    assertThat(task(plan, "MT 1.1").get("title").asText()).isEqualTo("Create user schema (15 min)");
    assertThat(task(plan, "MT 2.1").get("title").asText()).isEqualTo("User API (20 min)");
    assertThat(task(plan, "MT 2.2").get("title").asText()).isEqualTo("Connect UI to API");
    assertThat(task(plan, "MT 2.3").get("title").asText()).isEqualTo("Docs");

    assertThat(
            Cli.run(
                "run",
                p.toString(),
                "--plain",
                "-q",
                "--command",
                "true",
                "--state-dir",
                dir.resolve("state").toString()))
        .succeeded();
    assertThat(Files.readString(p))
        .contains(
            "### ✓ MT 1.1: Create user schema",
            "### ✓ MT 1.2: Create user UI",
            "- ✓ **MT 2.1**: User API",
            "- [x] **MT 2.2:** Connect",
            "✓ **MT 2.3: Docs**");
    assertThat(Cli.run("validate", p.toString())).succeeded().printed("ok, 0 tasks");
  }

  @Test
  void dependencyMatrixNamesGroupsOfTasks() throws Exception {
    JsonNode plan = convert(DIR + "matrix.md");
    assertThat(ids(plan))
        .containsExactly("Schema", "API Create", "API Read", "UI List", "UI Create", "Tests");
    assertThat(list(task(plan, "UI List"), "depends_on_tasks")).containsExactly("API Read");
    assertThat(list(task(plan, "Tests"), "depends_on_tasks"))
        .containsExactly("API Create", "API Read", "UI Create", "UI List");
    assertThat(list(task(plan, "API Create"), "conflicts_with")).containsExactly("UI List");
  }

  @Test
  void microTaskErrorsNameTheLine() throws Exception {
    Path p =
        write(
            "mt.md",
            """
              Dependencies: 1.1
            MT 1.1: Schema
              Dependencies: soon, 1.2
            MT 1.2: UI
            """);
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .noStackTrace()
        .complained(
            p + ":1:1: error: Dependencies: 'Dependencies:' before any task",
            p
                + ":3:17: error: Dependencies: expected a micro-task id like 1.1 or MT 1.1,"
                + " got 'soon'");
    Path m =
        write(
            "matrix.md",
            """
            | Task | Depends On | Can Parallelize With |
            |------|------------|----------------------|
            | A    | None       | B                    |
            | B    | A          |
            """);
    assertThat(Cli.run("validate", m.toString()))
        .exitedWith(2)
        .complained(m + ":4:1: error: table row has 2 cells, the header has 3");
    Files.writeString(
        m, "Task | Depends On | Can Parallelize With\n---|---|---\nA | None | B\nB | Z | None\n");
    assertThat(Cli.run("validate", m.toString()))
        .exitedWith(2)
        .complained(m + ":4:5: error: Depends On: names unknown task 'Z'");
  }

  @Test
  void microTaskDiagnosticsNameTheColumnOrLineTheUserWrote() throws Exception {
    Path m =
        write(
            "matrix.md",
            """
            | Task | Depends On | **Can Parallelize With** | Est. Time |
            |------|------------|--------------------------|-----------|
            | A    | None       | Q                        | soon      |
            | B    | A          | None                     | 10 min    |
            """);
    Cli.Result r = Cli.run("validate", m.toString());
    assertThat(r)
        .exitedWith(2)
        .complained(
            m + ":3:23: warning: Can Parallelize With: names no task: 'Q'; ignored",
            m + ":3:50: error: Est. Time: expected an estimate like 15 min, got 'soon'");
    assertThat(r.err()).doesNotContain("conflicts_with", "est:");
    Path list = write("list.md", "MT 1.1: API\n  Parallel with: soon\nMT 1.2: UI\n");
    assertThat(Cli.run("validate", list.toString()))
        .exitedWith(2)
        .complained(
            list
                + ":2:18: error: Parallel with: expected a micro-task id like 1.1 or MT 1.1,"
                + " got 'soon'");
  }

  @Test
  void aDuplicateMicroTaskInALaterBlockIsOnlyADuplicate() throws Exception {
    Path p =
        write("blocks.md", "PARALLEL:\n- MT 1.1: a\n- MT 1.2: b\n\nSEQUENTIAL:\n- MT 1.1: c\n");
    Cli.Result r = Cli.run("validate", p.toString());
    assertThat(r)
        .exitedWith(2)
        .complained(
            p + ":6:3: error: task_id: duplicate id 'MT 1.1' (first defined at " + p + ":2:3)");
    assertThat(r.err()).doesNotContain("depends on itself");
  }

  // ---------------------------------------------------------------- checklists

  @Test
  void checklistTasksRunInOrder() throws Exception {
    JsonNode plan = convert(DIR + "checklist.md");
    assertThat(ids(plan)).containsExactly("2", "3", "4");
    assertThat(task(plan, "2").get("title").asText())
        .isEqualTo("Write the changelog in CHANGELOG.md");
    assertThat(list(task(plan, "2"), "depends_on_tasks")).isEmpty(); // 1 is done
    assertThat(list(task(plan, "3"), "depends_on_tasks")).containsExactly("2");
    assertThat(list(task(plan, "4"), "depends_on_tasks")).containsExactly("2", "3");
    assertThat(list(task(plan, "3"), "file_scope")).containsExactly("docs/");
  }

  @Test
  void aFileNamedAtALineIsInTheScopeWithoutTheLine() throws Exception {
    // How people point at code: the file is what the task changes (and two such tasks conflict).
    Path p =
        write(
            "list.md",
            """
            - [ ] Fix the crash at src/app.ts:42 and `src/db/pool.ts:17:3`.
            - [ ] [P] Tidy docs/guide.md#L10-L20 and src/app.ts#L7
            """);
    JsonNode plan = convert(p.toString());
    assertThat(list(task(plan, "1"), "file_scope")).containsExactly("src/app.ts", "src/db/pool.ts");
    assertThat(list(task(plan, "2"), "file_scope")).containsExactly("docs/guide.md", "src/app.ts");
    assertThat(Cli.run("analyze", p.toString()))
        .succeeded()
        .printed("file scopes overlap: src/app.ts and src/app.ts");
  }

  @Test
  void checklistParallelTasksRunTogether() throws Exception {
    Path p = write("list.md", "- [ ] one\n- [ ] [P] two\n- [ ] [P] three\n- [ ] four\n");
    JsonNode plan = convert(p.toString());
    assertThat(list(task(plan, "2"), "depends_on_tasks")).containsExactly("1");
    assertThat(list(task(plan, "3"), "depends_on_tasks")).containsExactly("1");
    assertThat(list(task(plan, "4"), "depends_on_tasks")).containsExactly("2", "3");
  }

  @Test
  void checklistErrorsNameTheLine() throws Exception {
    Path p = write("list.md", "# Plan\n- [ ] one\n- [-] two\n- [ ] \n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .noStackTrace()
        .complained(
            p + ":3:4: error: checkbox must be [ ], [x] or [X], got [-]",
            p + ":4:7: error: task 3 has no text");
    Files.writeString(p, "- [ ] one\n- [ ] two (depends on 9, soon)\n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(p + ":2:26: error: depends on: expected a task number like 3, got 'soon'");
    Files.writeString(p, "- [ ] one\n- [ ] two (depends on 9)\n");
    assertThat(Cli.run("validate", p.toString()))
        .exitedWith(2)
        .complained(p + ":2:23: error: depends on: names unknown task '9'");
  }

  // ---------------------------------------------------------------- detection

  @Test
  void fromForcesTheFormat() throws Exception {
    Path p = write("plan.md", "- [ ] T001 One\n- [ ] T002 [P] Two\n");
    assertThat(ids(convert(p.toString()))).containsExactly("T001", "T002");
    assertThat(ids(convert(p.toString(), "--from", "checklist"))).containsExactly("1", "2");
    assertThat(Cli.run("validate", DIR + "tasks.md", "--from", "word"))
        .exitedWith(2)
        .complained(
            "unknown format 'word'; expected one of braid, spec-kit, taskmaster,"
                + " micro-tasks, checklist");
  }

  @Test
  void aChecklistForcedToBeTaskMasterGetsAPlainSyntaxError() throws Exception {
    // read as YAML, `- [ ] one: x` has a key that is a list: Jackson names SnakeYAML's events
    Path p = write("plan.md", "- [ ] one: `true`\n");
    Cli.Result r = Cli.run("validate", p.toString(), "--from", "taskmaster");
    assertThat(r)
        .exitedWith(2)
        .complained(
            "plan.md:1:4: error: syntax error: a key that is a list ([...] or {...} before ':');"
                + " keys are plain text (quote one that starts with '[' or '{')");
    assertThat(r.err()).doesNotContain("snakeyaml");
  }

  @Test
  void aPlanFromAPipeIsRefusedWithAReasonNotReadAsEmpty() throws Exception {
    // `braid plan <(gen)`: the pipe gives its content to the first read only
    Path fifo = dir.resolve("plan.fifo");
    Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    for (String from : List.of("", "taskmaster")) {
      List<String> args = new ArrayList<>(List.of("validate", fifo.toString()));
      if (!from.isEmpty()) {
        args.addAll(List.of("--from", from));
      }
      assertThat(Cli.run(args.toArray(String[]::new)))
          .exitedWith(2)
          .complained(
              fifo
                  + ": error: is a pipe or a device, not a file: save the plan to a file and name"
                  + " that (Braid reads a plan more than once)");
    }
    assertThat(Cli.run("validate", "/dev/null")).exitedWith(2).complained("file is empty");
  }

  @Test
  void everyCommandReadsEveryFormat() {
    for (String f :
        List.of("tasks.md", "tasks.json", "micro-tasks.md", "matrix.md", "checklist.md")) {
      assertThat(Cli.run("plan", DIR + f, "--agents", "2")).succeeded().printed("Schedule");
      assertThat(Cli.run("analyze", DIR + f)).succeeded().printed("Critical path");
    }
  }

  @Test
  void convertWritesANativePlanThatReadsBackTheSame() throws Exception {
    Path out = dir.resolve("plan.yaml");
    assertThat(
            Cli.run(
                "convert",
                DIR + "tasks.md",
                "--to",
                "yaml",
                "-o",
                out.toString(),
                "--command",
                "./agent.sh"))
        .succeeded()
        .complained("left out 1 task already done: T001");
    String yaml = Files.readString(out);
    assertThat(yaml).contains("task_id: T004", "command: ./agent.sh", "- src/models/cart.py");
    JsonNode again = convert(out.toString());
    assertThat(again).isEqualTo(convert(DIR + "tasks.md", "--command", "./agent.sh"));
  }
}
