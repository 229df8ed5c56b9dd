package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs against both ways of starting processes: braid-spawn (where it can be had) and the JDK. */
@ParameterizedClass
@EnumSource(Launcher.Spawner.class)
class ProcessLaunchTest {

  @TempDir Path dir;
  private final Launcher.Spawner spawner;
  private final Launcher launcher;

  ProcessLaunchTest(Launcher.Spawner spawner) {
    this.spawner = spawner;
    this.launcher = new Launcher(Launcher.Groups.SHELL_ONLY, spawner);
  }

  @AfterEach
  void close() {
    launcher.close();
  }

  private LaunchSpec spec(String command) {
    return LaunchSpec.of(command, dir, dir.resolve("task.log"))
        .withTimeout(Duration.ofSeconds(60)); // a broken test must not hang the build
  }

  private TaskExit run(LaunchSpec spec, OutputListener listener) throws Exception {
    return launcher.launch(spec, listener).onExit().get(60, TimeUnit.SECONDS);
  }

  private TaskExit run(String command) throws Exception {
    return run(spec(command), OutputListener.NONE);
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("task.log"));
  }

  @Test
  void exitCodesPassThrough() throws Exception {
    assertThat(run("true").outcome()).isEqualTo(new Outcome.Exited(0));
    assertThat(run("true").succeeded()).isTrue();
    assertThat(run("false").outcome()).isEqualTo(new Outcome.Exited(1));
    TaskExit three = run("exit 3");
    assertThat(three.outcome()).isEqualTo(new Outcome.Exited(3));
    assertThat(three.exitCode()).isEqualTo(3);
    assertThat(three.succeeded()).isFalse();
    assertThat(three.signalled()).isFalse();
    assertThat(three.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
  }

  @Test
  void everyLineReachesTheLogAndTheListenerInOrder() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    TaskExit exit = run(spec("seq 1 10000"), lines::add);

    List<String> expected = IntStream.rangeClosed(1, 10000).mapToObj(Integer::toString).toList();
    assertThat(exit.succeeded()).isTrue();
    assertThat(lines).isEqualTo(expected);
    assertThat(log().lines().toList()).isEqualTo(expected);
  }

  @Test
  void stdoutAndStderrBothLandInTheLog() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    run(
        spec("for i in $(seq 1 5000); do echo out$i; echo err$i >&2; done; printf 'no newline'"),
        lines::add);

    assertThat(lines).hasSize(10001).endsWith("no newline");
    assertThat(log().lines().filter(l -> l.startsWith("err"))).hasSize(5000);
    assertThat(log().lines().filter(l -> l.startsWith("out"))).hasSize(5000);
  }

  @Test
  void aTaskThatPrintsNothingLeavesNoLogFileWithTheHelper() throws Exception {
    assertThat(run("true").succeeded()).isTrue();
    // braid-spawn creates the log with the first output; the JDK opens it for the command
    assertThat(Files.exists(dir.resolve("task.log")))
        .isEqualTo(!launcher.mechanism().equals("braid-spawn"));
  }

  @Test
  void outputOfLeftoversInTheGroupIsInTheLogWhenTheTaskEnds() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    // well within the linger allowed to leftovers (RunningTask.LINGER), then they are stopped
    TaskExit exit = run(spec("(sleep 0.05; echo late) & echo early"), lines::add);

    assertThat(exit.succeeded()).isTrue();
    assertThat(log()).isEqualTo("early\nlate\n");
    assertThat(lines).containsExactly("early", "late");
  }

  @Test
  void aLeftoverThatNeverStopsWritingEndsWithTheTask() throws Exception {
    // stopped after the linger allowed to leftovers; its output never holds up the task's end
    TaskExit exit = run("(while :; do echo y; done) & echo started");

    assertThat(exit.succeeded()).isTrue();
    assertThat(log()).contains("started\n").contains("y\n");
  }

  @Test
  void farMoreOutputThanAPipeHoldsArrivesWhole() throws Exception {
    TaskExit exit = run("seq 1 300000; seq 1 300000 >&2");

    assertThat(exit.succeeded()).isTrue();
    List<String> logged = log().lines().toList();
    assertThat(logged).hasSize(600000).startsWith("1").endsWith("300000");
  }

  @Test
  void theLogIsAppendedTo() throws Exception {
    run("echo one");
    run("echo two");
    assertThat(log()).isEqualTo("one\ntwo\n");
  }

  @Test
  void envValuesArriveVerbatimAndAreNeverInterpreted() throws Exception {
    LaunchSpec spec =
        spec("printenv BRAID_TASK_ID BRAID_SLOT")
            .withEnv("BRAID_TASK_ID", "T1 $(touch pwned) `touch pwned2`; rm -rf x")
            .withEnv("BRAID_SLOT", "2");
    assertThat(run(spec, OutputListener.NONE).succeeded()).isTrue();
    assertThat(log()).isEqualTo("T1 $(touch pwned) `touch pwned2`; rm -rf x\n2\n");
    assertThat(dir.resolve("pwned")).doesNotExist();

    Files.delete(dir.resolve("task.log"));
    run(spec("echo \"[$BRAID_TASK_ID]\"").withEnv("BRAID_TASK_ID", "T2"), OutputListener.NONE);
    assertThat(log()).isEqualTo("[T2]\n");
  }

  @Test
  void stdinIsEmptySoPromptsDoNotHang() throws Exception {
    TaskExit exit = run("read -r x; echo \"read=$? x=[$x]\"");
    assertThat(exit.succeeded()).isTrue();
    assertThat(log()).isEqualTo("read=1 x=[]\n");
  }

  @Test
  void runsInTheWorkingDirectory() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    run(LaunchSpec.of("pwd", sub, dir.resolve("task.log")), OutputListener.NONE);
    assertThat(log().strip()).isEqualTo(sub.toRealPath().toString());
  }

  @Test
  void aMissingProgramFailsToStartWithAMessage() throws Exception {
    TaskExit exit = run("no-such-program-braid --flag");
    assertThat(exit.outcome())
        .isEqualTo(new Outcome.FailedToStart("no-such-program-braid: command not found"));
    assertThat(exit.exitCode()).isEqualTo(-1);
    assertThat(log()).isEqualTo("braid: no-such-program-braid: command not found\n");
  }

  @Test
  void aMissingProgramInAShellCommandExits127WithBashsMessage() throws Exception {
    TaskExit exit = run("no-such-program-braid >&2");
    assertThat(exit.outcome()).isEqualTo(new Outcome.Exited(127));
    assertThat(log()).contains("no-such-program-braid: command not found");
  }

  @Test
  void aMissingWorkingDirectoryFailsToStart() throws Exception {
    TaskExit exit =
        run(
            LaunchSpec.of("true", dir.resolve("gone"), dir.resolve("task.log")),
            OutputListener.NONE);
    assertThat(exit.outcome()).isInstanceOf(Outcome.FailedToStart.class);
    assertThat(log()).contains("working directory does not exist");
  }

  @Test
  void aWorkingDirectoryRemovedAfterAStartFailsTheNextStartCleanly() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertThat(
            run(LaunchSpec.of("true", sub, dir.resolve("task.log")), OutputListener.NONE).outcome())
        .isEqualTo(new Outcome.Exited(0));
    Files.delete(sub);
    TaskExit exit = run(LaunchSpec.of("true", sub, dir.resolve("task.log")), OutputListener.NONE);
    assertThat(exit.outcome()).isInstanceOf(Outcome.FailedToStart.class);
    assertThat(((Outcome.FailedToStart) exit.outcome()).message())
        .containsAnyOf("cannot change to directory " + sub, "working directory does not exist");
  }

  @Test
  void anUnwritableLogFailsToStart() throws Exception {
    TaskExit exit =
        run(LaunchSpec.of("true", dir, dir.resolve("no/such/dir/task.log")), OutputListener.NONE);
    assertThat(exit.outcome()).isInstanceOf(Outcome.FailedToStart.class);
  }

  @Test
  void aThrowingListenerDoesNotBreakTheLog() throws Exception {
    TaskExit exit =
        run(
            spec("seq 1 1000"),
            line -> {
              throw new IllegalStateException("boom");
            });
    assertThat(exit.succeeded()).isTrue();
    assertThat(log().lines()).hasSize(1000);
  }

  @Test
  void aPathOfTheTasksOwnIsHonoured() throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = bin.resolve("braid-test-tool");
    Files.writeString(tool, "#!/bin/sh\necho from-own-path\n", StandardCharsets.UTF_8);
    assertThat(tool.toFile().setExecutable(true)).isTrue();
    run(
        spec("braid-test-tool").withEnv("PATH", bin + ":" + System.getenv("PATH")),
        OutputListener.NONE);
    assertThat(log()).isEqualTo("from-own-path\n");
  }

  @Test
  void onLinuxWithACompilerTasksGoThroughTheSpawnHelper() {
    boolean linux =
        System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
    boolean compiler =
        Launcher.findProgram("cc", dir).isPresent() || Launcher.findProgram("gcc", dir).isPresent();
    assumeTrue(linux && compiler, "braid-spawn needs Linux and a C compiler");
    assertThat(launcher.mechanism())
        .isEqualTo(spawner == Launcher.Spawner.JDK ? "jdk" : "braid-spawn");
  }

  @Test
  void manyShortTasksAtOnceAllEndWithTheirOwnExitCode() throws Exception {
    Files.writeString(dir.resolve("exit.sh"), "echo $1\nexit $1\n");
    List<RunningTask> tasks =
        IntStream.range(0, 200)
            .mapToObj(
                i ->
                    launcher.launch(
                        LaunchSpec.of("sh exit.sh " + (i % 7), dir, dir.resolve(i + ".log")),
                        OutputListener.NONE))
            .toList();
    for (int i = 0; i < tasks.size(); i++) {
      TaskExit exit = tasks.get(i).onExit().get(60, TimeUnit.SECONDS);
      assertThat(exit.outcome()).isEqualTo(new Outcome.Exited(i % 7));
      assertThat(Files.readString(dir.resolve(i + ".log"))).isEqualTo(i % 7 + "\n");
    }
    assertThat(launcher.liveCount()).isZero();
  }

  @Test
  void noLaunchAfterClose() {
    launcher.close();
    assertThatThrownBy(() -> launcher.launch(spec("true"), OutputListener.NONE))
        .isInstanceOf(IllegalStateException.class);
  }
}
