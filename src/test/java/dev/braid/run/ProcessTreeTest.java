package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Timeouts and termination take whole process trees with them, whichever way they started. */
@ParameterizedClass
@EnumSource(Launcher.Spawner.class)
class ProcessTreeTest {

  @TempDir Path dir;
  private final Launcher.Spawner spawner;
  private Launcher launcher;

  ProcessTreeTest(Launcher.Spawner spawner) {
    this.spawner = spawner;
    this.launcher = new Launcher(Launcher.Groups.SHELL_ONLY, spawner);
  }

  /** A sleep no other process on the machine runs, so its survivors can be found. */
  private final String sleep = "sleep 312." + ThreadLocalRandom.current().nextInt(1_000_000);

  @AfterEach
  void close() throws Exception {
    launcher.close();
    awaitNoneLeft(); // whatever the test did, close() leaves nothing
  }

  private LaunchSpec spec(String command) {
    return LaunchSpec.of(command, dir, dir.resolve("task.log"))
        .withTimeout(Duration.ofSeconds(60))
        .withKillGrace(Duration.ofSeconds(2));
  }

  private TaskExit await(RunningTask task) throws Exception {
    return task.onExit().get(60, TimeUnit.SECONDS);
  }

  private List<ProcessHandle> survivors() {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().orElse("").contains(sleep))
        .toList();
  }

  /** Killed processes may need a moment to be reaped by init; wait for them, not a clock. */
  private void awaitNoneLeft() throws Exception {
    CompletableFuture.allOf(
            survivors().stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
        .get(10, TimeUnit.SECONDS);
    assertThat(survivors()).isEmpty();
  }

  @Test
  void aTimeoutKillsBackgroundChildren() throws Exception {
    String command = sleep + " & " + sleep + " & wait";
    TaskExit exit =
        await(
            launcher.launch(
                spec(command).withTimeout(Duration.ofMillis(300)), OutputListener.NONE));

    assertThat(exit.outcome()).isEqualTo(new Outcome.TimedOut(Duration.ofMillis(300)));
    assertThat(exit.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    awaitNoneLeft();
  }

  @Test
  void aTimeoutKillsDoubleForkedGrandchildren() throws Exception {
    String command = "(" + sleep + " &) ; " + sleep;
    TaskExit exit =
        await(
            launcher.launch(
                spec(command).withTimeout(Duration.ofMillis(300)), OutputListener.NONE));

    assertThat(exit.outcome()).isInstanceOf(Outcome.TimedOut.class);
    awaitNoneLeft();
  }

  @ParameterizedTest
  @EnumSource(Launcher.Groups.class)
  void aDirectCommandsTreeIsKilledWithOrWithoutItsOwnGroup(Launcher.Groups groups)
      throws Exception {
    launcher.close();
    launcher = new Launcher(groups, spawner);
    Path script = dir.resolve("tree.sh");
    Files.writeString(script, "(" + sleep + " &)\n" + sleep + " &\nwait\n");
    RunningTask task =
        launcher.launch(
            spec("bash " + script).withTimeout(Duration.ofMillis(300)), OutputListener.NONE);

    assertThat(await(task).outcome()).isInstanceOf(Outcome.TimedOut.class);
    awaitNoneLeft();
  }

  @Test
  void anIdleTaskIsStopped() throws Exception {
    RunningTask task =
        launcher.launch(
            spec("echo started; " + sleep).withIdleTimeout(Duration.ofMillis(300)),
            OutputListener.NONE);

    assertThat(await(task).outcome()).isEqualTo(new Outcome.IdleTimedOut(Duration.ofMillis(300)));
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("started\n");
    awaitNoneLeft();
  }

  @Test
  void aTaskThatKeepsTalkingIsNotIdle() throws Exception {
    RunningTask task =
        launcher.launch(
            spec("for i in 1 2 3 4 5 6; do echo $i; sleep 0.1; done")
                .withIdleTimeout(Duration.ofMillis(400)),
            OutputListener.NONE);

    assertThat(await(task).outcome()).isEqualTo(new Outcome.Exited(0));
  }

  @Test
  void terminateAllStopsEveryTask() throws Exception {
    CountDownLatch started = new CountDownLatch(3);
    List<RunningTask> tasks =
        List.of(1, 2, 3).stream()
            .map(
                i ->
                    launcher.launch(
                        spec("echo up; " + sleep + " & " + sleep + "; wait")
                            .withEnv("BRAID_SLOT", "" + i),
                        line -> started.countDown()))
            .toList();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    launcher.terminateAll("interrupted");

    for (RunningTask t : tasks) {
      assertThat(await(t).outcome()).isEqualTo(new Outcome.Killed("interrupted"));
    }
    assertThat(launcher.liveCount()).isZero();
    awaitNoneLeft();
  }

  @Test
  void aTaskIgnoringTermIsKilledAfterTheGrace() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    RunningTask task =
        launcher.launch(
            spec("trap '' TERM; echo ready; " + sleep + "; echo survived")
                .withKillGrace(Duration.ofMillis(500)),
            line -> ready.countDown());
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();

    task.terminate("stop");

    TaskExit exit = await(task);
    assertThat(exit.outcome()).isEqualTo(new Outcome.Killed("stop"));
    assertThat(exit.exitCode()).isEqualTo(128 + 9);
    assertThat(exit.signalled()).isTrue();
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("ready\n");
    awaitNoneLeft();
  }

  @Test
  void closeStopsEverythingEvenTermIgnorers() throws Exception {
    CountDownLatch ready = new CountDownLatch(2);
    RunningTask stubborn =
        launcher.launch(
            spec("trap '' TERM; echo ready; " + sleep).withKillGrace(Duration.ofMillis(300)),
            line -> ready.countDown());
    RunningTask plain = launcher.launch(spec("echo ready; " + sleep), line -> ready.countDown());
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();

    launcher.close();

    assertThat(stubborn.isDone()).isTrue();
    assertThat(plain.isDone()).isTrue();
    assertThat(await(plain).outcome()).isEqualTo(new Outcome.Killed("launcher closed"));
    awaitNoneLeft();
  }

  @Test
  // @org.junit.jupiter.api.Disabled(
  //    "flaky (about 1 run in 3 leaves the background sleep alive past 10 s); see
  // docs/dev/STATUS.md")
  void aBackgroundChildHoldingTheOutputIsStoppedAfterTheCommandExits() throws Exception {
    // Once a race: the JDK closes a process's output pipe when it exits, so a pipe reader saw
    // EOF while the child still held it. Output now goes to the file; the group is what counts.
    RunningTask task = launcher.launch(spec(sleep + " & echo done"), OutputListener.NONE);

    TaskExit exit = await(task);
    assertThat(exit.outcome()).isEqualTo(new Outcome.Exited(0));
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("done\n");
    awaitNoneLeft();
  }

  @Test
  void aBackgroundChildWritingElsewhereIsStoppedToo() throws Exception {
    RunningTask task =
        launcher.launch(spec(sleep + " > /dev/null 2>&1 & echo done; exit 4"), OutputListener.NONE);

    TaskExit exit = await(task);
    assertThat(exit.outcome()).isEqualTo(new Outcome.Exited(4));
    assertThat(exit.duration()).isGreaterThanOrEqualTo(RunningTask.LINGER);
    awaitNoneLeft();
  }

  @ParameterizedTest
  @EnumSource(Launcher.Groups.class)
  void withAGroupTheCommandLeadsIt(Launcher.Groups groups) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setsid"))
            || Files.isExecutable(Path.of("/bin/setsid")));
    launcher.close();
    launcher = new Launcher(groups, spawner);
    Path script = dir.resolve("lead.sh");
    Files.writeString(script, "echo ready\nexec " + sleep + "\n");
    CountDownLatch directReady = new CountDownLatch(1);
    CountDownLatch shellReady = new CountDownLatch(1);
    RunningTask direct = launcher.launch(spec("bash " + script), l -> directReady.countDown());
    RunningTask shell =
        launcher.launch(spec("echo ready; " + sleep + "; true"), l -> shellReady.countDown());
    assertThat(directReady.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(shellReady.await(30, TimeUnit.SECONDS)).isTrue();

    // setsid execs (no fork), braid-spawn forks once: the pid we hold is the command itself
    assertThat(pgid(shell.pid())).isEqualTo(shell.pid());
    if (groups == Launcher.Groups.ALL || launcher.mechanism().equals("braid-spawn")) {
      assertThat(pgid(direct.pid())).isEqualTo(direct.pid());
    } else {
      assertThat(pgid(direct.pid())).isEqualTo(pgid(ProcessHandle.current().pid()));
    }

    launcher.terminateAll("done");
    assertThat(await(shell).outcome()).isEqualTo(new Outcome.Killed("done"));
    assertThat(await(direct).outcome()).isEqualTo(new Outcome.Killed("done"));
  }

  private static long pgid(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
  }
}
