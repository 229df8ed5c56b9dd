package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code braid ... | head -1}: a command whose standard output closes under it stops at its next
 * write, quietly, with 128 + SIGPIPE, as git and the C tools do, instead of writing its whole
 * output into the closed pipe and exiting 0.
 */
class ClosedOutputTest {

  /** Far more than a pipe's buffer (64 KiB on Linux) and the JVM's own buffers hold. */
  private static final int LARGE = 128 * 1024;

  @TempDir static Path dir;
  static Path plan;

  @BeforeAll
  static void aRecordedRunOfALargePlan() throws Exception {
    // 3,000 tasks in chains of ten sharing a file each, and one that prints 100,000 lines
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 3000; i++) {
      yaml.append(
              String.format("  - {task_id: T%04d, title: Task number %d, command: 'true'", i, i))
          .append(String.format(", file_scope: [src/f%d.ts]", i / 10))
          .append(i >= 10 ? String.format(", depends_on_tasks: [T%04d]", i - 10) : "")
          .append("}\n");
    }
    yaml.append("  - {task_id: LOUD, command: 'seq 1 100000'}\n");
    plan = dir.resolve("braid.yaml");
    Files.writeString(plan, yaml);
    assertThat(Cli.run("run", plan.toString(), "-j", "4", "--plain", "--isolation", "none"))
        .succeeded();
  }

  static Stream<List<String>> largeOutputs() {
    String p = plan.toString();
    return Stream.of(
        List.of("analyze", p, "--format", "json"),
        List.of("plan", p, "--format", "json"),
        List.of("plan", p, "--format", "markdown"),
        List.of("export", p, "--to", "make"),
        List.of("export", p, "--to", "json"),
        List.of("convert", p, "--to", "yaml"),
        List.of("status", "--json", "--plan", p),
        List.of("report", "--plan", p),
        List.of("report", "--format", "json", "--plan", p),
        List.of("events", "--plan", p),
        List.of("events", "--json", "--plan", p),
        List.of("logs", "LOUD", "--plan", p),
        List.of("logs", "LOUD", "--follow", "--plan", p));
  }

  @ParameterizedTest
  @MethodSource("largeOutputs")
  void stopsQuietlyWhenItsReaderGoesAway(List<String> args) throws Exception {
    // the whole output would not fit the pipe: the command must write into it after it closed
    assertThat(Cli.run(args.toArray(String[]::new)).out().length())
        .as("length of the output of braid %s", args)
        .isGreaterThan(LARGE);

    Path err = dir.resolve("err.txt");
    Process p = start(args, err);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isNotNull();
    } // as `head -1` does: one line, then the pipe's only reader is gone
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("braid %s ended", args).isTrue();

    // 141 comes only from a write that failed: the command did not reach its end, whose 0 the
    // full output gives; and the end of a pipeline is no error to report
    assertThat(p.exitValue()).as("exit code of braid %s", args).isEqualTo(141);
    assertThat(Files.readString(err)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aRunGoesOnWithoutItsReader() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    Path loud = other.resolve("braid.yaml");
    Files.writeString(
        loud,
        "tasks:\n"
            + "  - {task_id: LOUD, command: 'seq 1 100000'}\n"
            + "  - {task_id: AFTER, command: 'true', depends_on_tasks: [LOUD]}\n");
    Path err = dir.resolve("err.txt");
    Process p = start(List.of("run", loud.toString(), "--plain", "--isolation", "none"), err);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isNotNull();
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    // stopping mid-run would leave its tasks to a dead runner: it ends its run and says how it went
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(err)).isEmpty();
    assertThat(Cli.run("status", "--plan", loud.toString()))
        .succeeded()
        .printed("succeeded (2/2 done");
  }

  static Stream<List<String>> outputs() {
    String p = plan.toString();
    return Stream.of(
        List.of("analyze", p, "--format", "json"), // streamed as it is made
        List.of("status", "--json", "--plan", p),
        List.of("runs", "--plan", p)); // one line, written by the last flush
  }

  @ParameterizedTest
  @MethodSource("outputs")
  void saysSoWhenItsOutputCannotBeWritten(List<String> args) throws Exception {
    File full = new File("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(full.canWrite(), "no /dev/full here");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = builder(args).redirectOutput(full).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("braid %s ended", args).isTrue();

    // lost output is no success: EX_IOERR and one plain line
    assertThat(p.exitValue()).as("exit code of braid %s", args).isEqualTo(74);
    assertThat(Files.readString(err))
        .startsWith("braid: cannot write to standard output: ")
        .hasLineCount(1);
  }

  private static Process start(List<String> args, Path err) throws IOException {
    return builder(args).redirectError(err.toFile()).start();
  }

  private static ProcessBuilder builder(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-XX:TieredStopAtLevel=1");
    // the test class path has slf4j-api (ArchUnit's) without a provider, the jar has none
    command.add("-Dslf4j.internal.verbosity=ERROR");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
  }
}
