package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.observe.DirectoryWatch;
import dev.braid.run.Launcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid run} as its own process, the way users run it: killed with SIGKILL and resumed,
 * interrupted with SIGINT, started twice on one state directory.
 */
class RunProcessTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;

  @BeforeEach
  void gitRepository() throws Exception {
    Process git = new ProcessBuilder("git", "init", "-q", repo.toString()).inheritIO().start();
    assertThat(git.waitFor()).isZero();
  }

  /** A braid JVM; its output goes to a file so it never blocks on a full pipe. */
  private Process braid(Path output, String... args) throws IOException {
    return braid(output, java.util.Map.of(), args);
  }

  private Process braid(Path output, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static int await(Process p) throws InterruptedException {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("braid ended in time").isTrue();
    return p.exitValue();
  }

  /** Waits until the file (written by another process) contains {@code text}. */
  private static void awaitLine(Path file, String text, Process alive) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (DirectoryWatch watch = new DirectoryWatch(file.getParent())) {
      while (System.nanoTime() < deadline) {
        if (Files.exists(file) && Files.readString(file).contains(text)) {
          return;
        }
        assertThat(alive.isAlive()).as("braid still running; output: %s", read(file)).isTrue();
        watch.await(Duration.ofMillis(500));
      }
    }
    throw new AssertionError("no line with '" + text + "' in " + read(file));
  }

  private static String read(Path f) throws IOException {
    return Files.exists(f) ? Files.readString(f) : "(none)";
  }

  private Set<String> succeeded(Path plan) throws IOException {
    Cli.Result r = Cli.run("status", "--json", "--plan", plan.toString());
    Set<String> done = new HashSet<>();
    if (r.exitCode() != 0) {
      return done; // killed before the run was recorded
    }
    JsonNode status = JSON.readTree(r.out());
    status
        .get("tasks")
        .forEach(
            t -> {
              if (t.get("status").asText().equals("succeeded")) {
                done.add(t.get("task_id").asText());
              }
            });
    return done;
  }

  @Test
  void killedAtRandomMomentsAndResumedEveryTaskSucceedsOnceRecorded() throws Exception {
    // 100 tasks in chains of four; each appends its id to a ledger when its work is done.
    StringBuilder yaml = new StringBuilder("version: 1\ntasks:\n");
    for (int i = 0; i < 100; i++) {
      yaml.append("  - task_id: t").append(i).append('\n');
      if (i % 4 != 0) {
        yaml.append("    depends_on_tasks: [t").append(i - 1).append("]\n");
      }
      yaml.append("    command: sleep 0.0")
          .append(1 + i % 5)
          .append("; echo $BRAID_TASK_ID >> ledger\n");
    }
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(plan, yaml.toString());
    Path ledger = repo.resolve("ledger");
    Random random = new Random(42);
    for (int kill = 0; kill < 10; kill++) {
      Path out = repo.resolve("out" + kill + ".txt");
      Process p = braid(out, "run", plan.toString(), "--plain", "-j", "4");
      Thread.sleep(300 + random.nextInt(700)); // a random moment of the run
      p.toHandle().destroyForcibly();
      await(p);
      // What the store says succeeded must never run again.
      Set<String> recorded = succeeded(plan);
      long before = Files.exists(ledger) ? Files.readAllLines(ledger).size() : 0;
      Path next = repo.resolve("next" + kill + ".txt");
      Process resume = braid(next, "run", plan.toString(), "--plain", "-j", "4");
      Thread.sleep(100 + random.nextInt(300));
      resume.toHandle().destroyForcibly();
      await(resume);
      List<String> lines = Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
      for (String again : lines.subList((int) Math.min(before, lines.size()), lines.size())) {
        assertThat(recorded)
            .as("%s ran again after it was recorded as succeeded", again)
            .doesNotContain(again);
      }
    }
    Path last = repo.resolve("last.txt");
    Set<String> recorded = succeeded(plan);
    long before = Files.exists(ledger) ? Files.readAllLines(ledger).size() : 0;
    assertThat(await(braid(last, "run", plan.toString(), "--plain", "-j", "4")))
        .as(read(last))
        .isZero();
    List<String> lines = Files.readAllLines(ledger);
    for (String again : lines.subList((int) before, lines.size())) {
      assertThat(recorded).doesNotContain(again);
    }
    assertThat(succeeded(plan)).hasSize(100);
    assertThat(new HashSet<>(lines)).hasSize(100);
    Cli.Result runs = Cli.run("runs", "--plan", plan.toString());
    assertThat(runs.out().lines()).hasSize(1);
  }

  @Test
  void ctrlCStopsEveryChildAndGrandchildAndExits130() throws Exception {
    String marker = "braid-test-" + UUID.randomUUID();
    // Each task starts grandchildren in the background, some of which ignore TERM.
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: a
            command: (trap '' TERM; exec -a MARKER sleep 300) & exec -a MARKER sleep 300
          - task_id: b
            command: bash -c 'exec -a MARKER sleep 301' & sleep 0.1; echo started b; wait
          - task_id: c
            command: echo c ran >> c.txt
            depends_on_tasks: [a]
        """
            .replace("MARKER", marker));
    Path out = repo.resolve("out.txt");
    Process p = braid(out, "run", plan.toString(), "--plain", "-j", "2", "--kill-grace", "1s");
    awaitLine(out, "started b", p);
    assertThat(processesWith(marker)).hasSizeGreaterThanOrEqualTo(3);
    Runtime.getRuntime().exec(new String[] {"kill", "-INT", Long.toString(p.pid())}).waitFor();
    assertThat(await(p)).as(read(out)).isEqualTo(130);
    assertThat(processesWith(marker)).as("survivors").isEmpty();
    assertThat(read(out)).contains("interrupted");
    assertThat(repo.resolve("c.txt")).doesNotExist();
    Cli.Result status = Cli.run("status", "--json", "--plan", plan.toString());
    assertThat(JSON.readTree(status.out()).get("status").asText()).isEqualTo("interrupted");
  }

  @Test
  void ctrlCTakesBackTasksQueuedAheadBeforeTheyStart() throws Exception {
    // One agent: b, c and d wait in braid-spawn's queue while a runs; none of them may start.
    String marker = "braid-test-" + UUID.randomUUID();
    StringBuilder yaml = new StringBuilder("version: 1\ntasks:\n");
    for (String id : List.of("a", "b", "c", "d")) {
      yaml.append("  - task_id: ").append(id).append('\n');
      yaml.append("    command: echo $BRAID_TASK_ID >> started; exec -a ")
          .append(marker)
          .append(" sleep 300\n");
    }
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(plan, yaml.toString());
    Path out = repo.resolve("out.txt");
    Process p = braid(out, "run", plan.toString(), "--plain", "-j", "1", "--kill-grace", "1s");
    awaitLine(repo.resolve("started"), "a", p);
    Runtime.getRuntime().exec(new String[] {"kill", "-INT", Long.toString(p.pid())}).waitFor();
    assertThat(await(p)).as(read(out)).isEqualTo(130);
    assertThat(processesWith(marker)).as("survivors").isEmpty();
    assertThat(Files.readAllLines(repo.resolve("started"))).containsExactly("a");
    assertThat(read(out)).contains("interrupted: stopping 1 running task; press Ctrl-C again");
    Map<String, String> states = new HashMap<>();
    JSON.readTree(Cli.run("status", "--json", "--plan", plan.toString()).out())
        .get("tasks")
        .forEach(t -> states.put(t.get("task_id").asText(), t.get("status").asText()));
    assertThat(states)
        .containsEntry("a", "pending")
        .containsEntry("b", "pending")
        .containsEntry("c", "pending")
        .containsEntry("d", "pending");
  }

  @Test
  void ctrlCDuringACheckpointStopsItAndTheReportSaysSo() throws Exception {
    String marker = "braid-test-" + UUID.randomUUID();
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        checkpoint:
          command: echo started > checkpoint.txt; exec -a MARKER sleep 300
          after: end
        tasks:
          - task_id: a
            command: "true"
        """
            .replace("MARKER", marker));
    Path out = repo.resolve("out.txt");
    Process p = braid(out, "run", plan.toString(), "--plain", "--kill-grace", "1s");
    awaitLine(repo.resolve("checkpoint.txt"), "started", p);
    Runtime.getRuntime().exec(new String[] {"kill", "-INT", Long.toString(p.pid())}).waitFor();
    assertThat(await(p)).as(read(out)).isEqualTo(130);
    assertThat(processesWith(marker)).as("survivors").isEmpty();
    assertThat(read(out)).contains("checkpoint 1 stopped").doesNotContain("broken by");
    Cli.Result report = Cli.run("report", "--format", "json", "--plan", plan.toString());
    JsonNode checkpoint = JSON.readTree(report.out()).get("checkpoints").get(0);
    assertThat(checkpoint.get("status").asText()).isEqualTo("stopped");
  }

  @Test
  void aRunnerKilledOutrightTakesItsTasksWithItThroughTheSpawnHelper() throws Exception {
    try (Launcher probe = new Launcher(Launcher.Groups.SHELL_ONLY, Launcher.Spawner.AUTO)) {
      assumeTrue(
          probe.mechanism().equals("braid-spawn"), "braid-spawn needs Linux and a C compiler");
    }
    String marker = "braid-test-" + UUID.randomUUID();
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: long
            command: echo started; exec -a MARKER sleep 300
        """
            .replace("MARKER", marker));
    Path out = repo.resolve("out.txt");
    Process first = braid(out, "run", plan.toString(), "--plain");
    awaitLine(out, "started", first);
    List<ProcessHandle> tasks =
        processesWith(marker).stream().flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
    assertThat(tasks).hasSize(1);

    first.toHandle().destroyForcibly();
    await(first);

    // The helper's input closes with the runner: it stops every task's group by itself.
    for (ProcessHandle task : tasks) {
      task.onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(processesWith(marker)).isEmpty();
    Files.writeString(
        plan, Files.readString(plan).replace("exec -a " + marker + " sleep 300", "true"));
    Cli.Result resumed = Cli.run("run", plan.toString(), "--plain", "--agents", "1");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
  }

  @Test
  void aRunnerKilledOutrightTakesWhatItsTasksDetachedIntoSessionsOfTheirOwnWithIt()
      throws Exception {
    try (Launcher probe = new Launcher(Launcher.Groups.SHELL_ONLY, Launcher.Spawner.AUTO)) {
      assumeTrue(
          probe.mechanism().equals("braid-spawn"), "braid-spawn needs Linux and a C compiler");
    }
    String marker = "braid-test-" + UUID.randomUUID();
    // setsid takes a process out of its task's group, where the groups' TERM and KILL miss it:
    // a daemon (setsid -f, its parent gone at once) and a child the task still waits for.
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: daemon
            command: setsid -f bash -c 'exec -a MARKER sleep 300'; echo started daemon; sleep 300
          - task_id: child
            command: setsid bash -c 'exec -a MARKER sleep 301' & echo started child; wait
        """
            .replace("MARKER", marker));
    Path out = repo.resolve("out.txt");
    Process first = braid(out, "run", plan.toString(), "--plain", "-j", "2");
    awaitLine(out, "started daemon", first);
    awaitLine(out, "started child", first);
    List<ProcessHandle> detached =
        processesWith(marker).stream().flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
    assertThat(detached).hasSizeGreaterThanOrEqualTo(2);

    first.toHandle().destroyForcibly();
    await(first);

    for (ProcessHandle p : detached) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(processesWith(marker)).isEmpty();
  }

  @Test
  void aRunWhoseRunnerWasKilledReadsAsCrashedAndFollowersEnd() throws Exception {
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan, "version: 1\ntasks:\n  - task_id: s\n    command: echo begin; sleep 300\n");
    Path out = repo.resolve("out.txt");
    Process runner = braid(out, "run", plan.toString(), "--plain");
    awaitLine(out, "begin", runner);
    runner.destroyForcibly();
    await(runner);
    JsonNode status = JSON.readTree(Cli.run("status", "--json", "--plan", plan.toString()).out());
    assertThat(status.get("status").asText()).isEqualTo("crashed");
    // its task stopped with the runner: shown as left, not as running for ever longer
    String text = Cli.run("status", "--plan", plan.toString()).out();
    assertThat(text)
        .contains(": crashed (0/1 done, 1 cut short,")
        .containsPattern("\\n  s +cut short +\\[1\\] was running when the runner stopped\\n")
        .doesNotContain(" for ");
    // Nothing will come: the followers end instead of waiting for a runner that is gone.
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          assertThat(Cli.run("events", "--follow", "--plan", plan.toString()).exitCode()).isZero();
          assertThat(Cli.run("logs", "s", "--follow", "--plan", plan.toString()).out())
              .contains("begin");
        });
  }

  @Test
  void aCompilerGivenWithItsFlagsInCcBuildsTheSpawnHelper() throws Exception {
    // CC as make takes it: a command and its words. It was looked up whole ("cc -std=gnu11"), not
    // found, and every run fell back to the JDK's slower launcher.
    Files.writeString(repo.resolve("braid.yaml"), "tasks:\n  - {task_id: A, command: 'true'}\n");
    Path cache = repo.resolve("cache");
    Cli.Result r =
        CliProcess.run(
            repo,
            Map.of(
                "PATH", System.getenv("PATH"),
                "XDG_CACHE_HOME", cache.toString(),
                "CC", "cc -std=gnu11"),
            "run",
            "braid.yaml",
            "--plain");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    try (var found = Files.find(cache, 3, (p, a) -> p.endsWith("braid-spawn"))) {
      assertThat(found.toList()).singleElement().satisfies(p -> assertThat(p).isExecutable());
    }
  }

  @Test
  void runningOutOfMemorySaysHowToGiveBraidMoreInsteadOfAStackTrace() throws Exception {
    // 1,500 globs each overlapping 1,500 directories: 2.25 million conflicting pairs, all stored
    // (tasks sharing one glob are a clique, kept whole), more than a 24 MiB heap holds
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 1500; i++) {
      yaml.append("  - {task_id: G").append(i).append(", file_scope: [\"src/**/x" + i + "\"]}\n");
      yaml.append("  - {task_id: D").append(i).append(", file_scope: [\"src/d" + i + "/\"]}\n");
    }
    Files.writeString(repo.resolve("braid.yaml"), yaml);
    Cli.Result r =
        CliProcess.run(
            repo,
            Map.of("PATH", System.getenv("PATH"), "JAVA_TOOL_OPTIONS", "-Xmx24m"),
            "validate",
            "braid.yaml");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(70);
    assertThat(r.err())
        .contains("braid: out of memory (a heap of ")
        .contains("give Braid more with BRAID_JAVA_OPTS=-Xmx4g")
        .doesNotContain("\tat ", "Exception in thread");
  }

  @Test
  void runningOutOfMemoryOnAnotherThreadSaysSoTooAndEnds() throws Exception {
    // a recorded run whose plan then grew to 2.25 million conflicting pairs, all stored (1,500
    // globs each overlapping 1,500 directories; tasks sharing one glob would be a clique, kept
    // whole): the dashboard reads it on a request's thread, with a heap too small for it
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(plan, "tasks:\n  - {task_id: A, command: 'true'}\n");
    assertThat(Cli.run("run", plan.toString(), "--plain", "--isolation", "none").exitCode())
        .isZero();
    String runId =
        JSON.readTree(Cli.run("runs", "--json", "--plan", plan.toString()).out())
            .get(0)
            .get("run_id")
            .asText();
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 1500; i++) {
      yaml.append("  - {task_id: G").append(i).append(", file_scope: [\"src/**/x" + i + "\"]}\n");
      yaml.append("  - {task_id: D").append(i).append(", file_scope: [\"src/d" + i + "/\"]}\n");
    }
    Files.writeString(plan, yaml);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx24m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dslf4j.internal.verbosity=ERROR"); // the test class path's slf4j-api
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("dashboard", "--port", "0"));
    Path err = repo.resolve("err.txt");
    Process dashboard =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8))) {
      java.util.regex.Matcher url =
          java.util.regex.Pattern.compile("dashboard at (http://\\S+)").matcher(out.readLine());
      assertThat(url.find()).isTrue();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      try {
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url.group(1)).resolve("/api/runs/" + runId))
                .timeout(Duration.ofSeconds(60))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
      } catch (IOException gone) {
        // the dashboard ended under the request
      }
      assertThat(await(dashboard)).as(Files.readString(err)).isEqualTo(70);
    } finally {
      dashboard.destroyForcibly();
    }
    assertThat(Files.readString(err))
        .contains("braid: out of memory (a heap of ")
        .contains("give Braid more with BRAID_JAVA_OPTS=-Xmx4g")
        .doesNotContain("\tat ", "Exception in thread");
  }

  @Test
  void aRelativeStateDirectoryWorksFromOutsideThePlansDirectory() throws Exception {
    // The tasks run in the plan's directory, the runner here: both must find the same logs.
    Path plans = Files.createDirectories(repo.resolve("plans"));
    Files.writeString(
        plans.resolve("braid.yaml"),
        """
        version: 1
        tasks:
          - task_id: talk
            command: echo said by talk
          - task_id: fail
            command: echo said by fail; exit 3
        """);
    Path elsewhere = Files.createDirectories(repo.resolve("elsewhere"));
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
    for (String spawner : List.of("auto", "jdk")) {
      Map<String, String> withSpawner = new HashMap<>(env);
      withSpawner.put("BRAID_SPAWN", spawner);
      String state = "state-" + spawner;
      Cli.Result run =
          CliProcess.run(
              elsewhere,
              withSpawner,
              "run",
              "../plans/braid.yaml",
              "--state-dir",
              state,
              "--plain",
              "--agents",
              "2");
      assertThat(run.exitCode()).as(spawner + ": " + run.out() + run.err()).isEqualTo(1);
      assertThat(run.out()).contains("talk", "exit 3").doesNotContain("could not start");
      assertThat(CliProcess.run(elsewhere, env, "logs", "talk", "--state-dir", state).out())
          .contains("said by talk");
      assertThat(Files.list(elsewhere.resolve(state).resolve("runs"))).hasSize(1);
    }
    assertThat(plans.resolve(".braid")).doesNotExist();
  }

  @Test
  void logsTellATaskThatPrintedNothingFromALostLog() throws Exception {
    // braid-spawn creates a log with the first output: a silent task has none, like a lost log
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: quiet
            command: "true"
          - task_id: talk
            command: echo hello
        """);
    Path losing = repo.resolve("losing.yaml");
    Files.writeString(
        losing,
        """
        version: 1
        tasks:
          - task_id: lose
            command: rm -r "$BRAID_STATE_DIR/runs/$BRAID_RUN_ID/logs"; echo said into the void
        """);
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
    for (String spawner : List.of("auto", "jdk")) {
      Map<String, String> withSpawner = new HashMap<>(env);
      withSpawner.put("BRAID_SPAWN", spawner);
      String state = repo.resolve("state-" + spawner).toString();
      Cli.Result run =
          CliProcess.run(
              repo, withSpawner, "run", plan.toString(), "--state-dir", state, "--plain");
      assertThat(run.exitCode()).as(spawner + ": " + run.out() + run.err()).isZero();

      Cli.Result quiet = Cli.run("logs", "quiet", "--state-dir", state);
      assertThat(quiet.exitCode()).as(spawner).isZero();
      assertThat(quiet.out()).isEmpty();
      assertThat(quiet.err()).as(spawner).contains("quiet printed nothing (attempt 1)");

      Cli.Result talk = Cli.run("logs", "talk", "--state-dir", state);
      assertThat(talk.out()).isEqualTo("hello\n");
      assertThat(talk.err()).isEmpty();
      Path log =
          Path.of(
              state,
              "runs",
              JSON.readTree(Cli.run("status", "--json", "--state-dir", state).out())
                  .get("run_id")
                  .asText(),
              "logs",
              "talk.1.log");
      Files.delete(log);
      Cli.Result lost = Cli.run("logs", "talk", "--state-dir", state);
      assertThat(lost.exitCode()).as(spawner).isEqualTo(2);
      assertThat(lost.err())
          .as(spawner)
          .contains("log of talk attempt 1 is missing: " + log + " (it printed 6 bytes)");

      // a log that could not be written: the helper counted what it could not keep
      String other = repo.resolve("losing-" + spawner).toString();
      CliProcess.run(repo, withSpawner, "run", losing.toString(), "--state-dir", other, "--plain");
      Cli.Result never = Cli.run("logs", "lose", "--state-dir", other);
      if (spawner.equals("auto")) {
        assertThat(never.exitCode()).isEqualTo(2);
        assertThat(never.err())
            .contains("log of lose attempt 1 is missing", "(it printed 19 bytes)");
      } else {
        // the JDK's task wrote into a file deleted under it: nothing to count it by
        assertThat(never.exitCode()).isZero();
        assertThat(never.err()).contains("lose attempt 1 left nothing in", "not counted");
      }
    }
  }

  @Test
  void logsOfRunningTasksFollowTheirOutputOrSayTheyPrintedNothingYet() throws Exception {
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: loud
            command: echo begin; while [ ! -e gate ]; do sleep 0.05; done; echo end
          - task_id: hush
            command: echo up > hush.up; while [ ! -e gate ]; do sleep 0.05; done
        """);
    Path out = repo.resolve("out.txt");
    Process runner = braid(out, "run", plan.toString(), "--plain", "--agents", "2");
    try {
      awaitLine(out, "begin", runner);
      awaitLine(repo.resolve("hush.up"), "up", runner);
      Cli.Result hushNow = Cli.run("logs", "hush", "--plan", plan.toString());
      assertThat(hushNow.exitCode()).isZero();
      assertThat(hushNow.err()).contains("hush has printed nothing yet (attempt 1 is running)");
      assertThat(Cli.run("logs", "loud", "--plan", plan.toString()).out()).isEqualTo("begin\n");
      var loud =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> Cli.run("logs", "loud", "--follow", "--plan", plan.toString()));
      var hush =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> Cli.run("logs", "hush", "--follow", "--plan", plan.toString()));
      Files.writeString(repo.resolve("gate"), "");
      assertThat(loud.get(60, TimeUnit.SECONDS).out()).isEqualTo("begin\nend\n");
      Cli.Result hushed = hush.get(60, TimeUnit.SECONDS);
      assertThat(hushed.out()).isEmpty();
      assertThat(hushed.err()).contains("hush printed nothing (attempt 1)");
      assertThat(await(runner)).isZero();
    } finally {
      runner.destroyForcibly();
    }
  }

  @Test
  void aSecondRunIsRefusedWhileTheFirstLivesAndCleansUpAfterItsCrash() throws Exception {
    String marker = "braid-test-" + UUID.randomUUID();
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: long
            command: echo started; exec -a MARKER sleep 300
        """
            .replace("MARKER", marker));
    Path out = repo.resolve("out.txt");
    // Started by the JDK, a killed runner's tasks run on until the next run stops them.
    Process first =
        braid(out, java.util.Map.of("BRAID_SPAWN", "jdk"), "run", plan.toString(), "--plain");
    try {
      awaitLine(out, "started", first);
      Cli.Result second = Cli.run("run", plan.toString(), "--plain");
      assertThat(second.exitCode()).isEqualTo(2);
      assertThat(second.err()).contains("pid " + first.pid());
    } finally {
      first.toHandle().destroyForcibly();
      await(first);
    }
    // The killed runner's task is still running (its own group); the lock is free again.
    Cli.Result status = Cli.run("status", "--plan", plan.toString());
    assertThat(status.out()).contains("running");
    assertThat(processesWith(marker)).hasSize(1);
    // what a resumption would do, and why
    assertThat(Cli.run("run", plan.toString(), "--dry-run").out())
        .contains("long was cut short: running it again");
    Files.writeString(
        plan, Files.readString(plan).replace("exec -a " + marker + " sleep 300", "true"));
    Cli.Result resumed = Cli.run("run", plan.toString(), "--plain", "--agents", "1");
    // The resumed run first stops what the killed runner left, then runs the task again.
    assertThat(resumed.out()).contains("stopped 1 process left running by the crashed runner");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
    assertThat(processesWith(marker)).isEmpty();
  }

  @Test
  void aDryRunWhileAnotherRunnerRunsThePlanSaysWhatARealRunWould() throws Exception {
    Path gate = repo.resolve("gate");
    assertThat(new ProcessBuilder("mkfifo", gate.toString()).start().waitFor()).isZero();
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan, "tasks:\n  - {task_id: wait, command: 'echo started; read line < " + gate + "'}\n");
    Path out = repo.resolve("out.txt");
    // without isolation: a repository with no commit would add a note to the real run's output
    Process first = braid(out, "run", plan.toString(), "--plain", "--isolation", "none");
    try {
      awaitLine(out, "started", first);
      Cli.Result real = Cli.run("run", plan.toString(), "--plain", "--isolation", "none");
      Cli.Result dry = Cli.run("run", plan.toString(), "--dry-run", "--isolation", "none");
      // not "would resume run ...", which the live runner is running: the real run's refusal
      assertThat(real.exitCode()).isEqualTo(2);
      assertThat(real.err())
          .contains("braid: another braid run (pid " + first.pid() + ", started ");
      assertThat(dry.exitCode()).isEqualTo(real.exitCode());
      assertThat(dry.err()).isEqualTo(real.err());
      assertThat(dry.out()).isEqualTo(real.out()).isEmpty();
      Files.writeString(gate, "go\n");
      assertThat(await(first)).isZero();
    } finally {
      first.destroyForcibly();
      await(first);
    }
    // the lock let go (emptied, its holder gone): what a run would do again
    Cli.Result after = Cli.run("run", plan.toString(), "--dry-run", "--isolation", "none");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(after.out()).contains("already succeeded; a run would do nothing");
  }

  /** Live processes whose command line contains {@code marker}. */
  private static List<Long> processesWith(String marker) throws IOException {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        if (!p.getFileName().toString().matches("\\d+")) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          String stat = Files.readString(p.resolve("stat"));
          boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
          if (cmd.contains(marker) && !zombie) {
            found.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    }
    return found;
  }
}
