package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the writer writes, the reader reads back to the same plan. */
class ManifestRoundTripProperties {

  @Property(tries = 150)
  void jsonAndYamlRoundTrip(@ForAll("manifests") Manifest m) throws Exception {
    Path dir = Files.createTempDirectory("braid-roundtrip");
    try {
      Path json = dir.resolve("p.json");
      Files.writeString(json, ManifestWriter.toJson(m));
      Path yaml = dir.resolve("p.yaml");
      Files.writeString(yaml, ManifestWriter.toYaml(m));
      assertThat(Manifests.content(ManifestReader.read(json).manifest()))
          .isEqualTo(Manifests.content(m));
      assertThat(Manifests.content(ManifestReader.read(yaml).manifest()))
          .as(ManifestWriter.toYaml(m))
          .isEqualTo(Manifests.content(m));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab Z09.-_:#'\"{}[]*&!%@`|>,?\\/\n\té").ofMaxLength(12),
        Arbitraries.of("true", "null", "yes", "no", "1.10", "007", "1e3", "-", "~", " lead", "x "));
  }

  private static Arbitrary<String> id() {
    return text().filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isISOControl));
  }

  private static Arbitrary<Duration> duration() {
    return Arbitraries.longs().between(1, 10_000_000).map(Duration::ofMillis);
  }

  private static Arbitrary<Estimate> estimate() {
    return Combinators.combine(
            Arbitraries.doubles().between(0, 1000).ofScale(2).injectNull(0.4),
            Arbitraries.of(Size.class).injectNull(0.5))
        .as(Estimate::new);
  }

  private static Arbitrary<Task> task(Defaults d) {
    Arbitrary<List<String>> ids = id().list().ofMaxSize(3);
    Arbitrary<Task> base =
        Combinators.combine(id(), text().injectNull(0.5), text().injectNull(0.5), ids, ids, ids)
            .as(
                (id, title, command, deps, conflicts, scope) ->
                    Task.of(id)
                        .withTitle(title)
                        .withCommand(command)
                        .withDependsOn(deps)
                        .withConflictsWith(conflicts)
                        .withFileScope(scope));
    return Combinators.combine(
            base,
            Arbitraries.of(true, false),
            Arbitraries.of(Risk.class).injectNull(0.3),
            estimate(),
            Arbitraries.integers().between(1, 5),
            duration().injectNull(0.5),
            Arbitraries.integers().between(0, 3),
            text().injectNull(0.5))
        .as(
            (t, parallel, risk, est, priority, timeout, retries, capability) -> {
              Task x =
                  t.withParallel(parallel)
                      .withRisk(risk)
                      .withPriority(priority)
                      .withRetries(retries)
                      .withCapabilityId(capability)
                      .withAcceptanceCriteria(
                          capability == null
                              ? List.of()
                              : List.of(
                                  AcceptanceCriterion.of(capability),
                                  new AcceptanceCriterion("AC", "x")))
                      .withResources(capability == null ? Map.of() : Map.of("r", retries + 1));
              // What the reader would fill in cannot be told apart from the file saying it.
              x = x.withEst(est.isPresent() ? est : d.est());
              x = x.withTimeout(timeout != null ? timeout : d.timeout());
              if (x.command() == null && d.agent() != null) {
                x = withAgent(x, d.agent());
              }
              return x;
            });
  }

  private static Task withAgent(Task t, String agent) {
    return new Task(
        t.id(),
        t.title(),
        t.description(),
        t.command(),
        agent,
        t.dependsOn(),
        t.conflictsWith(),
        t.fileScope(),
        t.parallel(),
        t.parallelismGroup(),
        t.risk(),
        t.est(),
        t.priority(),
        t.acceptanceCriteria(),
        t.resources(),
        t.timeout(),
        t.retries(),
        t.relatedSpecs(),
        t.testVerification(),
        t.capabilityId(),
        t.promptTemplate());
  }

  @Provide
  Arbitrary<Manifest> manifests() {
    Arbitrary<Defaults> defaults =
        Combinators.combine(
                id().injectNull(0.5),
                duration().injectNull(0.5),
                Arbitraries.integers().between(0, 3).injectNull(0.5),
                Arbitraries.integers().between(1, 5).injectNull(0.5),
                estimate())
            .as(Defaults::new);
    return defaults.flatMap(
        d ->
            Combinators.combine(
                    task(d).list().ofMaxSize(5),
                    id().injectNull(0.5),
                    Arbitraries.of(
                        new Checkpoint.After.Wave(),
                        new Checkpoint.After.Each(),
                        new Checkpoint.After.End(),
                        new Checkpoint.After.EveryMerges(4)),
                    id().list().ofMaxSize(3))
                .as(
                    (tasks, checkpoint, after, files) -> {
                      List<Task> fixed = new ArrayList<>(tasks);
                      // The reader reads a missing priority or retries as the default's value.
                      fixed.replaceAll(
                          t ->
                              t.withPriority(
                                      d.priority() != null && t.priority() == 3
                                          ? d.priority()
                                          : t.priority())
                                  .withRetries(t.retries()));
                      return new Manifest(
                          null,
                          1,
                          d,
                          fixed,
                          checkpoint == null ? null : new Checkpoint(checkpoint, after),
                          Map.of(
                              "a",
                              new AgentSpec(
                                  "a",
                                  List.of("run", "{prompt}"),
                                  null,
                                  Map.of("K", "v"),
                                  List.of(),
                                  null)),
                          Map.of("r", 4),
                          files,
                          List.of(),
                          new PromptTemplate.Inline("Do {{title}}"),
                          null);
                    }));
  }
}
