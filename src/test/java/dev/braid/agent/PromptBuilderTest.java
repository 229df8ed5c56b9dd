package dev.braid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptBuilderTest {

  @TempDir Path dir;

  static final String PLAN =
      """
      frozen_files: [api/contract.yaml]
      tasks:
        - task_id: CART_SCHEMA--T01
          title: Cart tables
        - task_id: CART_API--T01
          title: Cart API
          description: |
            Implement the five cart endpoints of the contract.
            Use the <CartService> & its repository.
          depends_on_tasks: [CART_SCHEMA--T01, CART_CONTRACT--T00]
          file_scope: [src/api/cart/, "src/**/*.test.ts"]
          acceptance_criteria:
            - {id: CART_API-AC01, text: All five endpoints match the contract}
            - Errors use the shared error shape
          related_specs: [docs/cart.md, docs/missing.md, "docs/cart.md#totals"]
          test_verification: [npm test -- cart]
        - task_id: CART_CONTRACT--T00
      """;

  Manifest plan(String yaml) throws Exception {
    Path p = dir.resolve("plan.yaml");
    Files.writeString(p, yaml);
    return ManifestReader.read(p).manifest();
  }

  String render(Manifest m, String task, List<DependencyChange> changes) throws Exception {
    return new PromptBuilder(m, List.of(dir)).render(m.task(task).orElseThrow(), changes);
  }

  @Test
  void theDefaultPromptCarriesEverythingTheTaskSays() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/cart.md"), "# Cart\nTotals include tax.\n```js\nx\n```\n");
    String prompt =
        render(
            plan(PLAN),
            "CART_API--T01",
            List.of(
                new DependencyChange(
                    "CART_SCHEMA--T01",
                    "Add cart tables\n",
                    List.of("db/migrations/002_cart.sql", "db/schema.ts"))));
    assertThat(prompt)
        .contains("# Task CART_API--T01: Cart API")
        .contains("Use the <CartService> & its repository.") // not HTML-escaped
        .contains(
            "- CART_API-AC01: All five endpoints match the contract\n"
                + "- Errors use the shared error shape\n")
        .contains("Change only these paths:\n- src/api/cart/\n- src/**/*.test.ts\n")
        .contains("If you must touch any other file, say so")
        .contains("Never change these files")
        .contains("- api/contract.yaml")
        .contains(
            "- CART_SCHEMA--T01: Cart tables\n"
                + "  Commit message: Add cart tables\n"
                + "  Changed files: db/migrations/002_cart.sql, db/schema.ts\n"
                + "- CART_CONTRACT--T00: CART_CONTRACT--T00\n")
        .contains("### docs/cart.md\n\n````\n# Cart\nTotals include tax.\n```js\nx\n```\n````\n")
        .contains("### docs/missing.md\n\n(not found; look for it in the repository)")
        .contains("### docs/cart.md#totals\n\n````\n# Cart")
        .contains("## How this task is checked\n\n- npm test -- cart\n")
        .contains("Do not commit, push or create branches");
    assertThat(prompt).doesNotContain("{{").doesNotContain("\n\n\n");
  }

  @Test
  void aBareTaskGetsAShortPromptWithoutEmptySections() throws Exception {
    String prompt = render(plan("tasks:\n  - task_id: T1\n"), "T1", List.of());
    assertThat(prompt)
        .contains("# Task T1: T1")
        .contains("This task names no files")
        .doesNotContain(
            "Acceptance criteria", "Specifications", "builds on", "How this task is checked");
  }

  @Test
  void specsAreBoundedPerFileAndPerPrompt() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    for (int i = 0; i < 6; i++) {
      Files.writeString(dir.resolve("docs/s" + i + ".md"), ("line " + i + "\n").repeat(5000));
    }
    Files.write(dir.resolve("docs/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    Manifest m =
        plan(
            """
            tasks:
              - task_id: T1
                related_specs: [docs/logo.png, docs/s0.md, docs/s1.md, docs/s2.md, docs/s3.md,
                                docs/s4.md, docs/s5.md]
            """);
    String prompt = render(m, "T1", List.of());
    assertThat(prompt).contains("### docs/logo.png\n\n(a binary file, not included)");
    assertThat(prompt)
        .contains(
            "(Shortened to the first "
                + PromptBuilder.MAX_SPEC_BYTES
                + " of 35000 bytes; read the file for the rest.)");
    assertThat(prompt).contains("### docs/s4.md\n\n(not included, the prompt already carries");
    assertThat(prompt.length())
        .isBetween(PromptBuilder.MAX_SPECS_BYTES, PromptBuilder.MAX_SPECS_BYTES + 4000);
  }

  @Test
  void thePlansTemplateAppliesAndATasksOwnWins() throws Exception {
    Files.writeString(
        dir.resolve("own.mustache"), "OWN {{task_id}} {{#file_scope}}[{{.}}]{{/file_scope}}");
    Manifest m =
        plan(
            """
            prompt_template: {text: "PLAN {{title}}: {{description}}"}
            tasks:
              - {task_id: A, title: Alpha, description: do a}
              - {task_id: B, file_scope: [x, y], prompt_template: own.mustache}
            """);
    assertThat(render(m, "A", List.of())).isEqualTo("PLAN Alpha: do a");
    assertThat(render(m, "B", List.of())).isEqualTo("OWN B [x][y]");
  }

  @Test
  void templateProblemsPointAtThePromptTemplateField() throws Exception {
    Files.writeString(dir.resolve("typo.mustache"), "line one\n{{titel}}\n");
    Files.writeString(dir.resolve("broken.mustache"), "{{#file_scope}}unclosed");
    Manifest m =
        plan(
            """
            tasks:
              - {task_id: A, prompt_template: typo.mustache}
              - {task_id: B, prompt_template: broken.mustache}
              - {task_id: C, prompt_template: nowhere.mustache}
            """);
    assertThatThrownBy(() -> render(m, "A", List.of()))
        .isInstanceOf(ManifestException.class)
        .hasMessageEndingWith(
            "plan.yaml:2:35: error: prompt_template: typo.mustache:2: no variable 'titel' (see"
                + " README, Agents)");
    assertThatThrownBy(() -> render(m, "B", List.of()))
        .hasMessageContaining("plan.yaml:3:35: error: prompt_template: broken.mustache: ");
    assertThatThrownBy(() -> render(m, "C", List.of()))
        .hasMessageContaining(
            "plan.yaml:4:35: error: prompt_template: cannot read "
                + dir.resolve("nowhere.mustache")
                + ": no such file");
  }

  @Test
  void theDefaultTemplateIsAvailableToCopy() {
    assertThat(PromptBuilder.defaultTemplate()).contains("{{#has_file_scope}}", "{{task_id}}");
  }
}
