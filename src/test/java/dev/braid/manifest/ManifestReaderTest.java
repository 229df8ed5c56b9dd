package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  /** The messages of the diagnostics thrown, with the temp dir stripped. */
  private List<String> errors(String name, String content) throws IOException {
    Path p = write(name, content);
    try {
      ManifestReader.read(p);
    } catch (ManifestException e) {
      return e.diagnostics().stream().map(d -> d.toString().replace(dir + "/", "")).toList();
    }
    throw new AssertionError("expected " + name + " to be rejected");
  }

  private ManifestReader.Result read(String name, String content) throws Exception {
    return ManifestReader.read(write(name, content));
  }

  private static final String PLAN_JSON =
      """
      {
        "version": 1,
        "defaults": {"agent": "claude", "timeout": "10m", "retries": 1, "priority": 2,
                     "est": {"size": "S"}},
        "checkpoint": {"command": "mvn -q verify", "after": 3},
        "agents": {
          "claude": {"command": "claude -p '{prompt}'", "prompt_via": "argument",
                     "env": {"DEBUG": 1}, "args": ["--verbose"], "parser": "claude-stream-json"}
        },
        "resources": {"gpu": 2},
        "shared_files": ["package.json"],
        "frozen_files": "LICENSE",
        "tasks": [
          {
            "task_id": "MT 1.1",
            "title": "Hash",
            "description": "Implement hashing",
            "depends_on_tasks": [],
            "conflicts_with": ["3.2"],
            "file_scope": ["src/hash/**"],
            "parallel": true,
            "parallelism_group": "foundation",
            "risk": "medium",
            "est": {"minutes": 12, "size": "M"},
            "priority": "high",
            "acceptance_criteria": [{"id": "AC1", "text": "hashes"}, "is tested"],
            "resources": {"gpu": 1},
            "timeout": 90,
            "retries": 0,
            "related_specs": ["docs/spec.md"],
            "test_verification": ["HashTest"],
            "capability_id": "HASH",
            "phase": "Phase 1", "slice": "1.1", "related_adrs": [], "related_guides": [],
            "gap_codes": [], "provisional": false, "status": "pending", "notes": null
          },
          {
            "task_id": "3.2",
            "command": "make writer",
            "depends_on_tasks": "MT 1.1",
            "conflicts_with": ["MT 1.1"],
            "parallel": false,
            "risk": "High",
            "est": "1h30m"
          }
        ]
      }
      """;

  private static final String PLAN_YAML =
      """
      # the same plan as PLAN_JSON
      version: 1
      defaults:
        agent: claude
        timeout: 10m
        retries: 1
        priority: 2
        est: S
      checkpoint: {command: mvn -q verify, after: 3}
      agents:
        claude:
          command: [claude, -p, "{prompt}"]
          prompt_via: argument
          env: {DEBUG: "1"}
          args: [--verbose]
          parser: claude-stream-json
      resources: {gpu: 2}
      shared_files: [package.json]
      frozen_files: [LICENSE]
      tasks:
        - task_id: MT 1.1
          title: Hash
          description: Implement hashing
          depends_on_tasks: []
          conflicts_with: [3.2]
          file_scope: src/hash/**
          parallelism_group: foundation
          risk: Medium
          est: {minutes: 12, size: m}
          priority: 1
          acceptance_criteria:
            - id: AC1
              text: hashes
            - is tested
          resources: {gpu: 1}
          timeout: 1m30s
          retries: 0
          related_specs: [docs/spec.md]
          test_verification: [HashTest]
          capability_id: HASH
          phase: Phase 1
          notes:
        - task_id: 3.2
          command: make writer
          depends_on_tasks: [MT 1.1]
          conflicts_with: [MT 1.1]
          parallel: false
          risk: HIGH
          est: 90
      """;

  @Test
  void readsJsonAndYamlOfTheSamePlanToEqualManifests() throws Exception {
    var json = read("plan.json", PLAN_JSON);
    var yaml = read("plan.yaml", PLAN_YAML);
    assertThat(json.warnings()).isEmpty();
    assertThat(yaml.warnings()).isEmpty();
    assertThat(Manifests.content(yaml.manifest())).isEqualTo(Manifests.content(json.manifest()));
  }

  @Test
  void mapsEveryFieldAndAppliesDefaults() throws Exception {
    Manifest m = read("plan.json", PLAN_JSON).manifest();
    assertThat(m.version()).isEqualTo(1);
    assertThat(m.checkpoint())
        .isEqualTo(new Checkpoint("mvn -q verify", new Checkpoint.After.EveryMerges(3)));
    assertThat(m.agents().get("claude"))
        .isEqualTo(
            new AgentSpec(
                "claude",
                List.of("claude", "-p", "{prompt}"),
                "argument",
                Map.of("DEBUG", "1"),
                List.of("--verbose"),
                "claude-stream-json"));
    assertThat(m.resources()).containsExactly(Map.entry("gpu", 2));
    assertThat(m.sharedFiles()).containsExactly("package.json");
    assertThat(m.frozenFiles()).containsExactly("LICENSE");

    Task hash = m.tasks().get(0);
    assertThat(hash)
        .isEqualTo(
            new Task(
                "MT 1.1",
                "Hash",
                "Implement hashing",
                null,
                "claude",
                List.of(),
                List.of("3.2"),
                List.of("src/hash/**"),
                true,
                "foundation",
                Risk.MEDIUM,
                new Estimate(12.0, Size.M),
                1,
                List.of(
                    new AcceptanceCriterion("AC1", "hashes"), AcceptanceCriterion.of("is tested")),
                Map.of("gpu", 1),
                Duration.ofSeconds(90),
                0,
                List.of("docs/spec.md"),
                List.of("HashTest"),
                "HASH",
                null));

    Task writer = m.tasks().get(1);
    assertThat(writer.id()).isEqualTo("3.2");
    assertThat(writer.agent()).as("a task with a command gets no default agent").isNull();
    assertThat(writer.dependsOn()).containsExactly("MT 1.1");
    assertThat(writer.est()).isEqualTo(Estimate.ofMinutes(90));
    assertThat(writer.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(writer.retries()).isEqualTo(1);
    assertThat(writer.priority()).isEqualTo(2);
    assertThat(writer.risk()).isEqualTo(Risk.HIGH);
    assertThat(writer.parallel()).isFalse();
  }

  @Test
  void locatesEveryValue() throws Exception {
    Manifest m = read("plan.yaml", PLAN_YAML).manifest();
    SourceMap s = m.sources();
    assertThat(s.locate("/tasks/1/depends_on_tasks/0").toString()).endsWith("plan.yaml:45:24");
    assertThat(s.locate("/tasks/0/risk").toString()).endsWith("plan.yaml:28:11");
    assertThat(s.locate("/tasks/0/acceptance_criteria/1").toString()).endsWith("plan.yaml:34:9");
    assertThat(s.locate("/tasks/1/nothing/here").toString()).endsWith("plan.yaml:43:5");
    assertThat(s.find("/tasks/1/timeout")).isEmpty();
    assertThat(s.locate("/agents/claude/command/2").toString()).endsWith("plan.yaml:12:27");

    Manifest j = read("plan.json", PLAN_JSON).manifest();
    assertThat(j.sources().locate("/tasks/0/conflicts_with/0").toString())
        .endsWith("plan.json:19:26");
  }

  @Test
  void reportsEveryErrorWithFileLineColumnAndField() throws Exception {
    assertThat(
            errors(
                "plan.yaml",
                """
                version: 1
                tasks:
                  - task_id: T1
                    risk: Hgh
                    depends_on_tasks: [T0, {x: 1}]
                    timeout: 10 minutes
                    priority: 7
                    retries: -1
                    parallel: maybe
                    est: huge
                  - title: no id
                  - task_id: "   "
                    resources: {gpu: 0}
                    file_scope: {a: b}
                    est: {minutes: -5, size: XXL}
                """))
        .containsExactly(
            "plan.yaml:4:11: error: risk: must be one of Low, Medium, High, got 'Hgh'",
            "plan.yaml:5:28: error: depends_on_tasks: expected a task id (a string), got an object",
            "plan.yaml:6:14: error: timeout: expected a duration like 90s, 10m, 1h30m or 500ms"
                + " (or a number of seconds), got '10 minutes'",
            "plan.yaml:7:15: error: priority: must be 1..5 (1 runs first) or high, medium, low,"
                + " got 7",
            "plan.yaml:8:14: error: retries: must be an integer >= 0, got -1",
            "plan.yaml:9:15: error: parallel: expected true or false, got 'maybe'",
            "plan.yaml:10:10: error: est: expected minutes, a size (S, M, L, XL), a duration like"
                + " '15m' or {minutes, size}, got 'huge'",
            "plan.yaml:11:5: error: task_id: missing; every task needs an id",
            "plan.yaml:12:14: error: task_id: must not be blank",
            "plan.yaml:13:22: error: resources.gpu: must be a positive integer, got 0",
            "plan.yaml:14:17: error: file_scope: expected a list of strings, got an object",
            "plan.yaml:15:20: error: est.minutes: minutes must be a number >= 0, got -5",
            "plan.yaml:15:30: error: est.size: must be one of S, M, L, XL, got 'XXL'");
  }

  @Test
  void aBooleanWhereTextBelongsIsToldToBeQuoted() throws Exception {
    assertThat(
            errors(
                "plan.yaml",
                """
                version: 1
                tasks:
                  - task_id: T1
                    command: true
                    depends_on_tasks: [false]
                """))
        .containsExactly(
            "plan.yaml:4:14: error: command: expected a string, got a boolean"
                + " (put the value in quotes to make it text)",
            "plan.yaml:5:24: error: depends_on_tasks: expected a task id (a string), got a boolean"
                + " (put the value in quotes to make it text)");
  }

  @Test
  void reportsTopLevelErrors() throws Exception {
    assertThat(errors("a.json", "{\"version\": 2}"))
        .containsExactly(
            "a.json:1:1: error: tasks: missing; a plan needs a list of tasks",
            "a.json:1:13: error: version: unsupported version '2'; this Braid reads version 1");
    assertThat(errors("b.json", "{\"tasks\": {}}"))
        .containsExactly("b.json:1:11: error: tasks: expected a list of tasks, got an object");
    assertThat(errors("c.yaml", "- task_id: T1\n"))
        .containsExactly(
            "c.yaml:1:1: error: expected an object with 'version' and 'tasks', got a list");
    assertThat(
            errors(
                "d.yaml",
                """
                tasks: []
                checkpoint: {after: sometimes}
                agents:
                  x: {command: [], prompt_via: mail, parser: xml}
                resources: {gpu: many}
                """))
        .containsExactly(
            "d.yaml:2:13: error: checkpoint.command: missing; a checkpoint needs a command",
            "d.yaml:2:21: error: checkpoint.after: must be wave, each, end or a number of merges"
                + " >= 1, got 'sometimes'",
            "d.yaml:4:16: error: agents.x.command: command must not be empty",
            "d.yaml:4:32: error: agents.x.prompt_via: must be one of argument, stdin, file, got"
                + " 'mail'",
            "d.yaml:4:46: error: agents.x.parser: must be one of claude-stream-json, codex-json,"
                + " lines, got 'xml'",
            "d.yaml:5:18: error: resources.gpu: expected a whole number, got 'many'");
  }

  @Test
  void readsPromptTemplatesAsFilesOrText() throws Exception {
    Manifest m =
        read(
                "p.yaml",
                """
                prompt_template: prompts/agent.mustache
                tasks:
                  - task_id: A
                    prompt_template: {text: "Do {{title}}"}
                  - task_id: B
                    prompt_template: {file: b.mustache}
                  - task_id: C
                """)
            .manifest();
    assertThat(m.promptTemplate()).isEqualTo(new PromptTemplate.File("prompts/agent.mustache"));
    assertThat(m.tasks())
        .extracting(Task::promptTemplate)
        .containsExactly(
            new PromptTemplate.Inline("Do {{title}}"), new PromptTemplate.File("b.mustache"), null);
    assertThat(
            errors(
                "bad.yaml",
                """
                prompt_template: " "
                tasks:
                  - task_id: A
                    prompt_template: {file: a, text: b}
                  - task_id: B
                    prompt_template: {}
                  - task_id: C
                    prompt_template: 3
                """))
        .containsExactly(
            "bad.yaml:1:18: error: prompt_template: must not be blank; give a file path or"
                + " {text: ...}",
            "bad.yaml:4:22: error: prompt_template: give either file or text, not both",
            "bad.yaml:6:22: error: prompt_template: expected {file: PATH} or {text: TEMPLATE}",
            "bad.yaml:8:22: error: prompt_template: expected an object, got a number");
  }

  @Test
  void anAgentWithoutCommandRefinesTheBuiltInOfItsName() throws Exception {
    Manifest m =
        read("a.yaml", "agents:\n  claude: {args: [--model, opus]}\ntasks: []\n").manifest();
    assertThat(m.agents().get("claude"))
        .isEqualTo(
            new AgentSpec("claude", List.of(), null, Map.of(), List.of("--model", "opus"), null));
  }

  @Test
  void readsAUsersAgentsFile() throws Exception {
    Path file =
        write(
            "agents.yaml",
            """
            agents:
              fake: {command: "fake-agent --json", prompt_via: stdin, parser: lines}
            colour: blue
            """);
    ManifestReader.AgentsFile f = ManifestReader.readAgents(file);
    assertThat(f.agents().get("fake").command()).containsExactly("fake-agent", "--json");
    assertThat(f.agents().get("fake").promptVia()).isEqualTo("stdin");
    assertThat(f.warnings())
        .extracting(d -> d.toString().replace(dir + "/", ""))
        .containsExactly("agents.yaml:3:1: warning: colour: unknown field, ignored");
    assertThat(f.sources().locate("/agents/fake").line()).isEqualTo(2);
    Path bad = write("bad.yaml", "agents:\n  x: {parser: xml}\n");
    assertThatThrownBy(() -> ManifestReader.readAgents(bad))
        .hasMessageContaining(
            "bad.yaml:2:15: error: agents.x.parser: must be one of claude-stream-json");
  }

  @Test
  void reportsSyntaxErrorsWithTheParsersPosition() throws Exception {
    assertThat(errors("bad.json", "{\n  \"tasks\": [\n    {\"task_id\": \"T1\",}\n    }\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "bad.json:4:5: error: syntax error: '}' does not close the list opened at line 2,"
                + " column 12 (expected ']')");
    assertThat(errors("bad.yaml", "tasks:\n  - task_id: T1\n - task_id: T2\n"))
        .singleElement()
        .asString()
        .startsWith("bad.yaml:3:2: error: syntax error: ");
    assertThat(errors("dup.yaml", "tasks:\n  - task_id: T1\n    task_id: T2\n"))
        .containsExactly("dup.yaml:3:5: error: task_id: duplicate key (first at 2:5)");
  }

  @Test
  void syntaxErrorsArePlainWithoutParserInternals() throws Exception {
    String task = "{\"task_id\":\"A\",\"command\":\"echo\"}";
    Map<String, String> cases =
        new java.util.LinkedHashMap<>(
            Map.of(
                "{\"version\":1,\"tasks\":[" + task,
                "1:55: error: syntax error: the file ends inside the list opened at line 1,"
                    + " column 22",
                "{\"version\":1,\"tasks\":[{\"task_id\":\"A",
                "1:36: error: syntax error: the file ends inside a string",
                "{\"version\":1,\"tasks\":[" + task + "}",
                "1:55: error: syntax error: '}' does not close the list opened at line 1,"
                    + " column 22 (expected ']')",
                "{\"version\":1 \"tasks\":[]}",
                "1:14: error: syntax error: expected ',' or '}', found '\"'",
                "{\"version\":1,\"tasks\":[{\"task_id\":tru}]}",
                "1:38: error: syntax error: unexpected 'tru'; expected a value: a \"string\", a"
                    + " number, a list, an object, true, false or null",
                "{\"version\":1,\"tasks\":[]} x",
                "1:27: error: unexpected content after the plan's closing '}'"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertThat(errors("bad.json", c.getKey())).containsExactly("bad.json:" + c.getValue());
    }
    assertThat(errors("bad.yaml", "tasks: [a, b\n"))
        .containsExactly(
            "bad.yaml:2:1: error: syntax error: the [...] opened at line 1, column 8 is not"
                + " closed: expected ',' or ']'");
    assertThat(errors("tab.yaml", "tasks:\n\t- task_id: T1\n"))
        .containsExactly("tab.yaml:2:1: error: syntax error: a tab: YAML indents with spaces only");
    // SnakeYAML's own words name its parser's states: <block end>, <block mapping start>
    Map<String, String> yaml =
        Map.of(
            "tasks:\n  - task_id: A\n   command: x\n",
            "3:4: error: syntax error: this line's indentation does not fit the lines above it"
                + " (the entries of one list or object start in the same column)",
            "tasks:\n  - task_id: A\n    command: echo a: b\n",
            "3:20: error: syntax error: unexpected ':' (quote a value that contains ': ', or"
                + " check this line's indentation)",
            "tasks:\n  - task_id: A\n    command: @x\n",
            "3:14: error: syntax error: a value cannot start with '@' in YAML; quote it",
            "tasks:\n  - task_id: \"A\n",
            "3:1: error: syntax error: the file ends inside the quoted string opened at line 2,"
                + " column 14");
    for (Map.Entry<String, String> c : yaml.entrySet()) {
      assertThat(errors("bad.yaml", c.getKey())).containsExactly("bad.yaml:" + c.getValue());
    }
    assertThat(errors(dir.resolve("b.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 'g'}))
        .containsExactly("b.yaml:1:1: error: not UTF-8 text (byte 0xff)");
    assertThat(errors(dir.resolve("c.yaml"), "tasks:\n  - task_id: é\n".getBytes(LATIN_1)))
        .containsExactly("c.yaml:2:14: error: not UTF-8 text (byte 0xe9)");
    assertThat(errors(dir.resolve("c.json"), "{\"tasks\": [\"é\"]}".getBytes(LATIN_1)))
        .containsExactly("c.json:1:13: error: not UTF-8 text (byte 0xe9)");
  }

  private List<String> errors(Path file, byte[] content) throws IOException {
    Files.write(file, content);
    try {
      ManifestReader.read(file);
    } catch (ManifestException e) {
      List<String> out =
          e.diagnostics().stream().map(d -> d.toString().replace(dir + "/", "")).toList();
      assertThat(out).noneMatch(PARSER_INTERNALS);
      return out;
    }
    throw new AssertionError("expected " + file + " to be rejected");
  }

  private static final java.nio.charset.Charset LATIN_1 =
      java.nio.charset.StandardCharsets.ISO_8859_1;

  /** Jackson's source descriptions and exception class names, which never reach a message. */
  private static final java.util.function.Predicate<String> PARSER_INTERNALS =
      m ->
          m.contains("Source:")
              || m.contains("REDACTED")
              || m.contains("Exception")
              || m.contains("java.")
              || m.contains("Feature");

  @Test
  void commentsAndTrailingCommasAreReadWithAWarning() throws Exception {
    var r =
        read(
            "plan.json",
            "{\"version\": 1,\n \"tasks\": [{\"task_id\": \"A\", \"command\": \"echo\",}]} //"
                + " c\n");
    assertThat(r.manifest().tasks()).extracting(Task::id).containsExactly("A");
    assertThat(r.warnings())
        .extracting(d -> d.toString().replace(dir + "/", ""))
        .containsExactly(
            "plan.json:2:47: warning: a trailing comma, which standard JSON does not allow (Braid"
                + " reads it, other JSON tools refuse the file)");
    assertThat(read("c.json", "{\"version\": 1, /* c */ \"tasks\": []}").warnings())
        .extracting(d -> d.toString().replace(dir + "/", ""))
        .containsExactly(
            "c.json:1:16: warning: a comment, which standard JSON does not allow (Braid reads it,"
                + " other JSON tools refuse the file)");
    // A real error after one of them is reported as such.
    assertThat(errors("bad.json", "{\"version\": 1, // c\n \"tasks\": [}"))
        .containsExactly(
            "bad.json:2:12: error: syntax error: '}' does not close the list opened at line 2,"
                + " column 11 (expected ']')");
  }

  @Test
  void nullMeansNotGivenSoNullTasksIsMissing() throws Exception {
    assertThat(errors("n.json", "{\"version\": 1, \"tasks\": null}"))
        .containsExactly("n.json:1:25: error: tasks: missing; a plan needs a list of tasks");
    assertThat(errors("n.yaml", "version: 1\ntasks:\n"))
        .containsExactly("n.yaml:2:7: error: tasks: missing; a plan needs a list of tasks");
    assertThat(errors("id.json", "{\"tasks\": [{\"task_id\": null, \"command\": \"x\"}]}"))
        .containsExactly("id.json:1:12: error: task_id: missing; every task needs an id");
    for (String plan :
        List.of(
            "{\"version\": null, \"tasks\": [{\"task_id\": \"A\", \"depends_on_tasks\": null,"
                + " \"file_scope\": null, \"conflicts_with\": null}]}",
            "version:\ntasks:\n  - task_id: A\n    depends_on_tasks:\n    file_scope: ~\n"
                + "    conflicts_with: null\n")) {
      Task t = read(plan.startsWith("{") ? "p.json" : "p.yaml", plan).manifest().tasks().get(0);
      assertThat(t.dependsOn()).isEmpty();
      assertThat(t.fileScope()).isEmpty();
      assertThat(t.conflictsWith()).isEmpty();
    }
  }

  @Test
  void numberedChecklistIsReadLikeABulletedOne() throws Exception {
    var r = read("num.md", "1. [ ] first\n2. [ ] second in src/a.py\n3) [x] third\n");
    assertThat(r.format()).isEqualTo(PlanFormat.CHECKLIST);
    assertThat(r.alreadyDone()).containsExactly("3");
    List<Task> tasks = r.manifest().tasks();
    assertThat(tasks).extracting(Task::id).containsExactly("1", "2");
    assertThat(tasks.get(1).title()).isEqualTo("second in src/a.py");
    assertThat(tasks.get(1).dependsOn()).containsExactly("1");
    assertThat(tasks.get(1).fileScope()).containsExactly("src/a.py");
    assertThat(read("sk.md", "1. [ ] T001 First\n2. [ ] T002 Second\n").format())
        .isEqualTo(PlanFormat.SPEC_KIT);
  }

  @Test
  void markdownWithoutTasksSaysWhichLinesAreRead() throws Exception {
    assertThat(errors("notes.md", "# Notes\n\nJust text.\n"))
        .containsExactly(
            "notes.md: error: no tasks: a Markdown plan is read from checklist lines ('- [ ] Do"
                + " something' or '1. [ ] Do something'), spec-kit tasks ('- [ ] T001 Do"
                + " something') or micro-tasks ('MT 1.1: Do something')");
  }

  @Test
  void reportsUnusableFilesInOneLine() throws Exception {
    assertThat(errors("empty.yaml", " \n\n")).containsExactly("empty.yaml: error: file is empty");
    assertThat(errors("comments.yaml", "# nothing here\n"))
        .containsExactly("comments.yaml: error: file has no content");
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> ManifestReader.read(missing))
        .isInstanceOf(ManifestException.class)
        .hasMessage(missing + ": error: no such file");
    assertThatThrownBy(() -> ManifestReader.read(dir))
        .hasMessage(dir + ": error: is a directory, not a plan file");
  }

  @Test
  void warnsAboutUnknownFieldsButNotSeedOnes() throws Exception {
    var r =
        read(
            "plan.yaml",
            """
            tasks:
              - task_id: T1
                depend_on_tasks: [T0]
                phase: Phase 1
                status: done
                estimate: 5
            owner: me
            """);
    assertThat(r.warnings())
        .map(d -> d.toString().replace(dir + "/", ""))
        .containsExactly(
            "plan.yaml:3:5: warning: depend_on_tasks: unknown field, ignored (did you mean"
                + " 'depends_on_tasks'?)",
            "plan.yaml:6:5: warning: estimate: unknown field, ignored",
            "plan.yaml:7:1: warning: owner: unknown field, ignored");
    assertThat(r.manifest().tasks().get(0).dependsOn()).isEmpty();
  }

  @Test
  void acceptsTheSeedShapes() throws Exception {
    Manifest m =
        read(
                "seed.json",
                """
                {
                  "tasks": [
                    {
                      "task_id": "CONTENT_HASH--T01",
                      "parallel": true, // Can run concurrently?
                      "conflicts_with": [],
                      "est": {"size": "M"},
                      "risk": "Medium",
                      "timeout": "500ms",
                      "parallelism_group": null,
                    },
                  ]
                }
                """)
            .manifest();
    Task t = m.tasks().get(0);
    assertThat(t.est()).isEqualTo(new Estimate(null, Size.M));
    assertThat(t.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(t.parallelismGroup()).isNull();
    assertThat(t.priority()).isEqualTo(Task.DEFAULT_PRIORITY);
  }
}
