package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A program with its arguments ({@link Command.Exec}, how agents start): arguments reach it as they
 * are, stdin is a file or /dev/null, and it leads its own process group, with either spawner.
 */
@ParameterizedClass
@EnumSource(Launcher.Spawner.class)
class ProgramLaunchTest {

  @TempDir Path dir;
  private final Launcher launcher;

  ProgramLaunchTest(Launcher.Spawner spawner) {
    // SHELL_ONLY: plain commands run without a group of their own; programs still get one
    this.launcher = new Launcher(Launcher.Groups.SHELL_ONLY, spawner);
  }

  @AfterEach
  void close() {
    launcher.close();
  }

  private LaunchSpec spec(Command command) {
    return LaunchSpec.of(command, dir, dir.resolve("task.log"))
        .withTimeout(Duration.ofSeconds(60)); // a broken test must not hang the build
  }

  private TaskExit run(Command command) throws Exception {
    return launcher.launch(spec(command), OutputListener.NONE).onExit().get(60, TimeUnit.SECONDS);
  }

  @Test
  void argumentsArriveAsTheyAreWithoutAShell() throws Exception {
    String prompt = "it's $(whoami); `id` && rm -rf / > x | y\n\"two lines\" *";
    TaskExit exit =
        run(new Command.Exec(List.of("printf", "[%s]\\n", prompt, "--flag"), Map.of(), null));
    assertThat(exit.succeeded()).isTrue();
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("[" + prompt + "]\n[--flag]\n");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void stdinIsTheGivenFileOrEmpty() throws Exception {
    Path prompt = dir.resolve("prompt.md");
    Files.writeString(prompt, "the prompt\n");
    assertThat(run(new Command.Exec(List.of("cat"), Map.of(), prompt)).succeeded()).isTrue();
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("the prompt\n");
    // no file: reading gets end of input at once instead of waiting for a person
    assertThat(run(new Command.Exec(List.of("cat"), Map.of(), null)).succeeded()).isTrue();
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("the prompt\n");
  }

  @Test
  void theProgramsEnvironmentIsAdded() throws Exception {
    LaunchSpec s =
        spec(new Command.Exec(List.of("printenv", "AGENT_KNOB"), Map.of(), null))
            .withEnv(Map.of("AGENT_KNOB", "on"));
    assertThat(
            launcher.launch(s, OutputListener.NONE).onExit().get(60, TimeUnit.SECONDS).succeeded())
        .isTrue();
    assertThat(Files.readString(dir.resolve("task.log"))).isEqualTo("on\n");
  }

  @Test
  void aProgramLeadsItsOwnProcessGroup() throws Exception {
    Path script = dir.resolve("agent.sh");
    Files.writeString(script, "#!/bin/sh\necho ready\nexec sleep 600\n");
    script.toFile().setExecutable(true);
    CountDownLatch ready = new CountDownLatch(1);
    RunningTask task =
        launcher.launch(
            spec(new Command.Exec(List.of(script.toString()), Map.of(), null)),
            line -> ready.countDown());
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pgid(task.pid())).isEqualTo(task.pid());
    launcher.terminateAll("done");
    assertThat(task.onExit().get(60, TimeUnit.SECONDS).outcome())
        .isEqualTo(new Outcome.Killed("done"));
  }

  private static long pgid(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
  }
}
