package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

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
                "HASH"));

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
}
