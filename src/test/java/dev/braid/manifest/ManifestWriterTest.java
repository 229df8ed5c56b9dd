package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestWriterTest {

  @TempDir Path dir;

  private Manifest read(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return ManifestReader.read(p).manifest();
  }

  @Test
  void aTaskDefinitionIsWrittenByteForByteAsTheObjectMapperWritesIt() throws Exception {
    // Runs hash this text to see whether a task changed: it must not change between versions.
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    for (Task t : sample().tasks()) {
      String text = ManifestWriter.taskJson(t);
      assertThat(text).contains("\"task_id\" : \"" + t.id() + "\"");
      assertThat(mapper.writeValueAsString(mapper.readTree(text))).isEqualTo(text);
    }
  }

  static Manifest sample() {
    Task a =
        Task.of("MT 1.1")
            .withTitle("Hash: \"quoted\" and 'single'")
            .withFileScope(List.of("src/hash/**", "*.md"))
            .withConflictsWith(List.of("3.2"))
            .withRisk(Risk.MEDIUM)
            .withEst(new Estimate(12.5, Size.M))
            .withPriority(1)
            .withAcceptanceCriteria(
                List.of(new AcceptanceCriterion("AC1", "hashes"), AcceptanceCriterion.of("true")))
            .withResources(Map.of("gpu", 1))
            .withTimeout(Duration.ofMillis(1500))
            .withRetries(2)
            .withCapabilityId("HASH");
    Task b =
        Task.of("3.2")
            .withCommand("make writer\n  && echo done")
            .withDependsOn(List.of("MT 1.1"))
            .withParallel(false)
            .withRisk(Risk.HIGH)
            .withTimeout(Duration.ofMinutes(90))
            .withPromptTemplate(new PromptTemplate.Inline("# {{title}}\n\n{{description}}\n"));
    return new Manifest(
        null,
        1,
        new Defaults(null, Duration.ofMinutes(10), 1, 2, new Estimate(null, Size.S)),
        List.of(
            a.withRetries(2), b.withRetries(1).withPriority(2).withEst(new Estimate(null, Size.S))),
        new Checkpoint("mvn -q verify", new Checkpoint.After.End()),
        Map.of(
            "claude",
            new AgentSpec(
                "claude",
                List.of("claude", "-p", "{prompt}"),
                "stdin",
                Map.of("DEBUG", "1"),
                List.of("--verbose"),
                "lines")),
        Map.of("gpu", 2),
        List.of("package.json"),
        List.of("LICENSE"),
        new PromptTemplate.File("prompts/agent.mustache"),
        null);
  }

  @Test
  void jsonRoundTrips() throws Exception {
    Manifest m = sample();
    Manifest back = read("plan.json", ManifestWriter.toJson(m));
    assertThat(Manifests.content(back)).isEqualTo(Manifests.content(m));
  }

  @Test
  void yamlRoundTrips() throws Exception {
    Manifest m = sample();
    Manifest back = read("plan.yaml", ManifestWriter.toYaml(m));
    assertThat(Manifests.content(back)).isEqualTo(Manifests.content(m));
  }

  @Test
  void leavesOutDefaultsAndEmpties() {
    String json = ManifestWriter.toJson(Manifest.of(List.of(Task.of("T1"))));
    assertThat(json)
        .isEqualToIgnoringWhitespace(
            """
            {"version": 1, "tasks": [{"task_id": "T1"}]}
            """);
    String yaml = ManifestWriter.toYaml(sample());
    assertThat(yaml)
        .contains("  - task_id: \"3.2\"\n")
        .contains("    timeout: 1h30m\n")
        .doesNotContain("retries: 1\n    ");
  }
}
