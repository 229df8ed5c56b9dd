package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code braid export}: golden files for every format, and the exported Makefile run for real. Run
 * with {@code -Dbraid.updateGolden=true} to rewrite the golden files after a deliberate change
 * (then review the diff).
 */
class ExportTest {

  static final Path PLAN = Path.of("src/test/resources/export/plan.yaml");
  static final Path GOLDEN = Path.of("src/test/resources/export/golden");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "make, plan.mk",
    "github-actions, plan.github-actions.yml",
    "mermaid, plan.mmd",
    "dot, plan.dot",
    "json, plan.json",
    "yaml, plan.yaml"
  })
  void matchesTheGoldenFile(String format, String golden) throws Exception {
    Cli.Result r = Cli.run("export", PLAN.toString(), "--to", format);
    assertThat(r).succeeded();
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("braid.updateGolden")) {
      Files.writeString(file, r.out());
    }
    assertThat(r.out()).isEqualTo(Files.readString(file));
  }

  @Test
  void writesToAFileWithDashO() throws Exception {
    Path out = dir.resolve("graph.dot");
    assertThat(Cli.run("export", PLAN.toString(), "--to", "dot", "-o", out.toString())).succeeded();
    assertThat(Files.readString(out)).isEqualTo(Files.readString(GOLDEN.resolve("plan.dot")));
  }

  @Test
  void runnersNeedCommands() {
    assertThat(Cli.run("export", "examples/formats/tasks.md", "--to", "make"))
        .exitedWith(2)
        .complained(
            "--to make: 9 tasks have no shell command (T002, T003, T004, T005, T006, ...)",
            "--command CMD");
    assertThat(Cli.run("export", "examples/formats/tasks.md", "--to", "mermaid")).succeeded();
    assertThat(Cli.run("export", "examples/formats/tasks.md", "--to", "pdf"))
        .exitedWith(2)
        .complained("unknown format 'pdf'");
  }

  @Test
  void githubWorkflowIsValidYamlWhoseNeedsNameJobs() throws Exception {
    Cli.Result r =
        Cli.run(
            "export",
            "examples/formats/tasks.md",
            "--to",
            "github-actions",
            "--command",
            "./do.sh");
    assertThat(r).succeeded();
    JsonNode wf = new YAMLMapper().readTree(r.out());
    assertThat(wf.has("on")).isTrue();
    JsonNode jobs = wf.get("jobs");
    List<String> ids = new ArrayList<>();
    jobs.fieldNames().forEachRemaining(ids::add);
    assertThat(ids).allMatch(id -> id.matches("[A-Za-z_][A-Za-z0-9_-]*"));
    assertThat(ids).contains("Phase_2_checkpoint");
    for (String id : ids) {
      JsonNode job = jobs.get(id);
      assertThat(job.get("runs-on").asText()).isEqualTo("ubuntu-latest");
      assertThat(job.get("steps").get(1).get("run").asText()).isEqualTo("./do.sh");
      if (job.has("needs")) {
        job.get("needs").forEach(n -> assertThat(ids).contains(n.asText()));
      }
    }
    assertThat(jobs.get("T006").get("needs").toString()).isEqualTo("[\"T004\",\"T005\"]");
  }

  /** T2 only conflicts with T1 (overlapping scopes); T3 depends on T1; T4 on T0, besides T1. */
  private Path conflictWithAFailure() throws Exception {
    Path plan = dir.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: T0, command: "echo T0 >> log"}
          - {task_id: T1, command: "echo T1 >> log; exit 1", file_scope: [src/a/], priority: 1}
          - {task_id: T2, command: "echo T2 >> log", file_scope: [src/a/x.ts]}
          - {task_id: T3, command: "echo T3 >> log", depends_on_tasks: [T1]}
          - {task_id: T4, command: "echo T4 >> log", depends_on_tasks: [T0], file_scope: [src/a/y.ts]}
        """);
    return plan;
  }

  @Test
  void underMakeATaskThatOnlyConflictsWithAFailedOneStillRuns() throws Exception {
    Path plan = conflictWithAFailure();
    Path makefile = dir.resolve("plan.mk");
    assertThat(Cli.run("export", plan.toString(), "--to", "make", "-o", makefile.toString()))
        .succeeded();
    for (String keepGoing : new String[] {"-k", "-j4", "-kj4"}) {
      Files.deleteIfExists(dir.resolve("log"));
      // start over (make -j would run a "clean" goal beside "all")
      new ProcessBuilder("rm", "-rf", ".braid-make").directory(dir.toFile()).start().waitFor();
      Process make =
          new ProcessBuilder("make", keepGoing, "-f", "plan.mk")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("make.out").toFile())
              .start();
      assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(dir.resolve("make.out"));
      // the failure still fails make, and says which task failed
      assertThat(make.exitValue()).as(out).isNotZero();
      assertThat(out).contains("braid: T1 failed (exit 1)", "braid: failed: T1");
      List<String> log = Files.readAllLines(dir.resolve("log"));
      // T3 needs T1's success; T2 and T4 only had to wait for it to end
      assertThat(log).as(keepGoing).containsExactlyInAnyOrder("T0", "T1", "T2", "T4");
      assertThat(log.indexOf("T1")).isLessThan(log.indexOf("T2")).isLessThan(log.indexOf("T4"));
    }
    // a second make retries the failed task (and what it skipped), not the tasks that succeeded
    Files.deleteIfExists(dir.resolve("log"));
    Process again =
        new ProcessBuilder("make", "-k", "-f", "plan.mk")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("make.out").toFile())
            .start();
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isNotZero();
    assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("T1");
  }

  @Test
  void inGithubActionsAConflictOrdersJobsWithoutNeedingSuccess() throws Exception {
    Cli.Result r = Cli.run("export", conflictWithAFailure().toString(), "--to", "github-actions");
    assertThat(r).succeeded();
    JsonNode jobs = new YAMLMapper().readTree(r.out()).get("jobs");
    assertThat(jobs.get("T2").get("needs").toString()).isEqualTo("[\"T1\"]");
    assertThat(jobs.get("T2").get("if").asText()).isEqualTo("${{ !cancelled() }}");
    assertThat(jobs.get("T4").get("needs").toString()).isEqualTo("[\"T0\",\"T1\"]");
    assertThat(jobs.get("T4").get("if").asText())
        .isEqualTo("${{ !cancelled() && needs.T0.result == 'success' }}");
    // a real dependency keeps GitHub's default: it runs only if T1 succeeded
    assertThat(jobs.get("T3").get("needs").toString()).isEqualTo("[\"T1\"]");
    assertThat(jobs.get("T3").has("if")).isFalse();
  }

  @Test
  void theMakefileSaysHowToRunItself() throws Exception {
    Path plan = conflictWithAFailure();
    Path makefile = dir.resolve("build.mk");
    assertThat(Cli.run("export", plan.toString(), "--to", "make", "-o", makefile.toString()))
        .succeeded();
    int agents =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Cli.run("plan", plan.toString(), "--format", "json").out())
            .get("recommended_agents")
            .asInt();
    assertThat(Files.readAllLines(makefile).get(1))
        .isEqualTo(
            "# Run: make -j%d -f %s    Start over: make -f %s clean", agents, makefile, makefile);
    // without -o there is no file name to give
    assertThat(Cli.run("export", plan.toString(), "--to", "make").out())
        .contains("# Run: make -j" + agents + " -f THIS_FILE");
  }

  /** What one task did, by line number in the shared log. */
  private record Span(int start, int end) {}

  @Test
  void theMakefileRunsUnderMakeJ4InAnOrderBraidAllows() throws Exception {
    Path makefile = dir.resolve("Makefile");
    assertThat(Cli.run("export", PLAN.toString(), "--to", "make", "-o", makefile.toString()))
        .succeeded();
    Path script = dir.resolve("task.sh");
    Files.writeString(
        script,
        """
        #!/bin/bash
        echo "start $BRAID_TASK_ID" >> log
        [ $# -gt 0 ] && printf 'args %s|%s|%s\\n' "$@" >> log
        sleep 0.3
        echo "end $BRAID_TASK_ID" >> log
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    runMake(dir, 4);

    List<String> log = Files.readAllLines(dir.resolve("log"));
    Map<String, Span> spans = new HashMap<>();
    Map<String, Integer> starts = new HashMap<>();
    for (int i = 0; i < log.size(); i++) {
      String line = log.get(i);
      if (line.startsWith("start ")) {
        starts.put(line.substring(6), i);
      } else if (line.startsWith("end ")) {
        String id = line.substring(4);
        spans.put(id, new Span(starts.get(id), i));
      }
    }
    assertThat(spans.keySet())
        .containsExactlyInAnyOrder("schema", "api", "ui", "docs", "migrate", "release 1.0");
    assertThat(log).contains("args release 1.0|a b|it's");
    // dependencies
    for (String[] dep :
        new String[][] {
          {"api", "schema"},
          {"ui", "schema"},
          {"migrate", "schema"},
          {"release 1.0", "api"},
          {"release 1.0", "ui"},
          {"release 1.0", "docs"},
          {"release 1.0", "migrate"}
        }) {
      assertThat(spans.get(dep[1]).end())
          .as(dep[0] + " after " + dep[1])
          .isLessThan(spans.get(dep[0]).start());
    }
    // api and ui share package.json; ui has the higher priority, so it goes first
    assertThat(spans.get("ui").end()).isLessThan(spans.get("api").start());
    // migrate runs alone
    Span m = spans.get("migrate");
    spans.forEach(
        (id, s) -> {
          if (!id.equals("migrate")) {
            assertThat(s.end() < m.start() || s.start() > m.end()).as(id + " vs migrate").isTrue();
          }
        });
    // and make did run tasks side by side: schema and docs start together
    assertThat(spans.get("docs").start()).isLessThan(spans.get("schema").end());

    // Stamps: a second make has nothing to do.
    Process again =
        new ProcessBuilder("make", "-j4", "-q")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    again.getInputStream().readAllBytes();
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isZero();
  }

  @Test
  void longIdsGetStampsMakeCanWrite() throws Exception {
    // the stamp is a file: an id of 300 letters made make fail with "File name too long"
    String longId = "L".repeat(300);
    Path plan = dir.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: %1$s, command: echo one >> log}
          - {task_id: %1$sL, command: echo two >> log}
          - {task_id: after, depends_on_tasks: [%1$s, %1$sL], command: echo after >> log}
        """
            .formatted(longId));
    Path makefile = dir.resolve("Makefile");
    assertThat(Cli.run("export", plan.toString(), "--to", "make", "-o", makefile.toString()))
        .succeeded();
    runMake(dir, 2);
    List<String> log = Files.readAllLines(dir.resolve("log"));
    assertThat(log).containsExactlyInAnyOrder("one", "two", "after");
    assertThat(log.get(2)).isEqualTo("after");
    try (var stamps = Files.list(dir.resolve(".braid-make"))) {
      assertThat(stamps.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith(".")))
          .hasSize(3)
          .allSatisfy(name -> assertThat(name.length()).isLessThanOrEqualTo(160))
          .anySatisfy(name -> assertThat(name).startsWith("LLLLLLLLLL"));
    }
  }

  @Test
  void aWorkflowWithoutJobsIsRefusedNotWritten() throws Exception {
    // GitHub rejects `jobs: {}`; a checklist whose items are all ticked has nothing to run
    Path plan = dir.resolve("tasks.md");
    Files.writeString(plan, "- [x] one: `true`\n- [x] two: `true`\n");
    assertThat(Cli.run("export", plan.toString(), "--to", "github-actions"))
        .exitedWith(2)
        .complained(
            "--to github-actions: tasks.md has no task left to run, and a workflow needs at least"
                + " one job");
    assertThat(Cli.run("export", plan.toString(), "--to", "make")).succeeded();
  }

  @Test
  void noTextOfTheTaskBecomesAGithubExpression() throws Exception {
    // GitHub evaluates ${{ ... }} in names and env values too: an id or title that has one must
    // show as written (and a malformed one must not break the workflow)
    Path plan = dir.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: "${{ github.token }}", title: "t ${{ secrets.X }}", command: echo one}
        """);
    Cli.Result r = Cli.run("export", plan.toString(), "--to", "github-actions");
    assertThat(r).succeeded();
    JsonNode job = new YAMLMapper().readTree(r.out()).get("jobs").elements().next();
    List<String> texts = new ArrayList<>();
    texts.add(job.get("name").asText());
    job.get("steps").get(1).forEach(v -> texts.add(v.isObject() ? v.toString() : v.asText()));
    assertThat(texts)
        .allSatisfy(t -> assertThat(t.replace("${{ '${{' }}", "")).doesNotContain("${{"));
  }

  @Test
  void aMermaidLabelInBackticksStaysText() throws Exception {
    // Mermaid reads "`...`" as Markdown: the id would lose its backticks and **x** turn bold
    Path plan = dir.resolve("braid.yaml");
    Files.writeString(plan, "version: 1\ntasks:\n  - {task_id: \"`**x**`\", command: echo one}\n");
    Cli.Result r = Cli.run("export", plan.toString(), "--to", "mermaid");
    assertThat(r).succeeded();
    assertThat(r.out()).contains("n0[\"#96;**x**#96;\"]").doesNotContain("`");
  }

  @Test
  void idsDifferingOnlyInCaseGetDistinctStampsAndJobs() throws Exception {
    // stamps are files, and macOS and Windows file systems ignore case; GitHub's needs and
    // needs.X.result ignore it too
    Path plan = dir.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: Case, command: echo one >> log}
          - {task_id: case, command: echo two >> log}
          - {task_id: after, depends_on_tasks: [Case, case], command: echo after >> log}
        """);
    Cli.Result make = Cli.run("export", plan.toString(), "--to", "make");
    assertThat(make).succeeded();
    List<String> stamps =
        make.out()
            .lines()
            .filter(l -> l.startsWith("  $(STAMPS)/"))
            .map(l -> l.strip().replace(" \\", "").toLowerCase(java.util.Locale.ROOT))
            .toList();
    assertThat(stamps).hasSize(3).doesNotHaveDuplicates();
    Cli.Result gha = Cli.run("export", plan.toString(), "--to", "github-actions");
    assertThat(gha).succeeded();
    JsonNode jobs = new YAMLMapper().readTree(gha.out()).get("jobs");
    List<String> ids = new ArrayList<>();
    jobs.fieldNames().forEachRemaining(id -> ids.add(id.toLowerCase(java.util.Locale.ROOT)));
    assertThat(ids).hasSize(3).doesNotHaveDuplicates();
  }

  /** Runs the exported Makefile with {@code make -jJOBS} in {@code dir}; it must succeed. */
  private static void runMake(Path dir, int jobs) throws Exception {
    Process make =
        new ProcessBuilder("make", "-j" + jobs)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("make.out").toFile())
            .start();
    assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(make.exitValue()).as(Files.readString(dir.resolve("make.out"))).isZero();
  }
}
