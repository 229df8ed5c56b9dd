package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScopeEditTest {

  @TempDir Path tmp;

  /** Edits {@code text} as a plan file and returns the new text, checking it reads back. */
  String edit(String name, String text, Map<String, List<String>> additions) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    Manifest m = ManifestReader.read(file).manifest();
    String out = ScopeEdit.apply(text, m, additions);
    Files.writeString(file, out);
    Manifest after = ManifestReader.read(file).manifest();
    for (Map.Entry<String, List<String>> e : additions.entrySet()) {
      assertThat(after.task(e.getKey()).orElseThrow().fileScope()).containsAll(e.getValue());
    }
    return out;
  }

  @Test
  void yamlBlockFlowEmptyAndMissingScopesKeepTheirStyleAndComments() throws Exception {
    String yaml =
        """
        version: 1
        tasks:
          # the API
          - task_id: A
            file_scope:
              - src/api/   # mine
            command: make a
          - task_id: B
            file_scope: [src/b.ts, 'lib/x']
          - task_id: C
            file_scope: []
          - task_id: D
            command: make d
          - {task_id: E, command: make e}
        """;
    String out =
        edit(
            "plan.yaml",
            yaml,
            Map.of(
                "A", List.of("src/util.ts", "docs/"),
                "B", List.of("lib/y"),
                "C", List.of("c.txt"),
                "D", List.of("d \"quoted\".txt"),
                "E", List.of("e/")));
    assertThat(out)
        .isEqualTo(
            """
            version: 1
            tasks:
              # the API
              - task_id: A
                file_scope:
                  - src/api/   # mine
                  - src/util.ts
                  - docs/
                command: make a
              - task_id: B
                file_scope: [src/b.ts, 'lib/x', lib/y]
              - task_id: C
                file_scope: [c.txt]
              - task_id: D
                file_scope: ["d \\"quoted\\".txt"]
                command: make d
              - {task_id: E, file_scope: [e/], command: make e}
            """);
  }

  @Test
  void newYamlEntriesAreQuotedOnlyWhereTheListIsOrWherePlainWouldReadDifferently()
      throws Exception {
    String yaml =
        """
        version: 1
        tasks:
          - task_id: A
            file_scope: ["a/", "b/"]
          - task_id: B
            file_scope:
              - 'b/'
          - task_id: C
            file_scope: [c/]
        """;
    String out =
        edit(
            "plan.yaml",
            yaml,
            Map.of(
                "A", List.of("x.txt"),
                "B", List.of("it's.txt"),
                "C", List.of("true", "2024-01-01", "**/*.md", "a: b", ".gitignore", "v2.txt")));
    assertThat(out)
        .isEqualTo(
            """
            version: 1
            tasks:
              - task_id: A
                file_scope: ["a/", "b/", "x.txt"]
              - task_id: B
                file_scope:
                  - 'b/'
                  - 'it''s.txt'
              - task_id: C
                file_scope: [c/, "true", "2024-01-01", "**/*.md", "a: b", .gitignore, v2.txt]
            """);
  }

  @Test
  void jsonPlansStayJson() throws Exception {
    String json =
        """
        {"version": 1, "tasks": [
          {"task_id": "A", "file_scope": ["a/"], "command": "x"},
          {"task_id": "B", "command": "y"}
        ]}
        """;
    String out = edit("plan.json", json, Map.of("A", List.of("b.ts"), "B", List.of("c/")));
    assertThat(out)
        .isEqualTo(
            """
            {"version": 1, "tasks": [
              {"task_id": "A", "file_scope": ["a/", "b.ts"], "command": "x"},
              {"task_id": "B", "file_scope": ["c/"], "command": "y"}
            ]}
            """);
  }
}
