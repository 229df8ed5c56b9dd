package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.braid.run.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where braid-spawn is built and run from when the cache directory is on a {@code noexec} mount: a
 * real tmpfs mounted noexec (skipped where this user may not mount one), real runs as processes of
 * their own (the helper's location is decided once per JVM), a compiler that counts its builds.
 */
class SpawnCacheTest {

  @TempDir Path tmp;
  Path noexec;
  Path builds;
  Path plan;

  @BeforeEach
  void noexecMount() throws Exception {
    try (Launcher probe = new Launcher(Launcher.Groups.SHELL_ONLY, Launcher.Spawner.AUTO)) {
      assumeTrue(
          probe.mechanism().equals("braid-spawn"), "braid-spawn needs Linux and a C compiler");
    }
    noexec = Files.createDirectories(tmp.resolve("noexec"));
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    if (mount.waitFor() != 0) {
      noexec = null;
    }
    assumeTrue(noexec != null, "mounting a tmpfs needs root (or CAP_SYS_ADMIN)");
    builds = tmp.resolve("builds.txt");
    Path cc = Files.createDirectories(tmp.resolve("bin")).resolve("counting-cc");
    Files.writeString(
        cc, "#!/bin/sh\necho built >> '" + builds + "'\nexec '" + compiler() + "' \"$@\"\n");
    assertThat(cc.toFile().setExecutable(true)).isTrue();
    plan = Files.createDirectories(tmp.resolve("work")).resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: A
            command: cat /proc/$PPID/comm > parent.txt
        """);
  }

  @AfterEach
  void unmount() throws Exception {
    if (noexec != null) {
      assertThat(new ProcessBuilder("umount", noexec.toString()).start().waitFor()).isZero();
    }
  }

  static Path compiler() {
    for (String dir : System.getenv("PATH").split(":")) {
      for (String name : List.of("cc", "gcc", "clang")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new AssertionError("no C compiler on PATH");
  }

  Cli.Result run(Path tmpDir, String... more) {
    Map<String, String> env =
        Map.of(
            "PATH", System.getenv("PATH"),
            "HOME", tmp.resolve("home").toString(),
            "XDG_CACHE_HOME", noexec.toString(),
            "TMPDIR", tmpDir.toString(),
            "CC", tmp.resolve("bin/counting-cc").toString());
    String[] args =
        Stream.concat(Stream.of("run", plan.toString(), "--plain", "--fresh"), Stream.of(more))
            .toArray(String[]::new);
    return CliProcess.run(plan.getParent(), env, args);
  }

  String parent() throws IOException {
    return Files.readString(plan.resolveSibling("parent.txt")).strip();
  }

  long buildCount() throws IOException {
    return Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
  }

  static Optional<Path> helperUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().equals("braid-spawn")).findFirst();
    }
  }

  @Test
  void aNoexecCacheIsPassedOverForTheTemporaryDirectoryWhereLaterRunsFindTheHelperBuilt()
      throws Exception {
    Path tmpDir = Files.createDirectories(tmp.resolve("tmp"));

    assertThat(run(tmpDir)).succeeded();
    assertThat(parent()).isEqualTo("braid-spawn");
    assertThat(helperUnder(noexec)).isEmpty();
    Path helper = helperUnder(tmpDir).orElseThrow();
    assertThat(helper.getParent().getParent().getFileName().toString()).startsWith("braid-");
    assertThat(Files.getAttribute(helper.getParent().getParent(), "unix:mode"))
        .isEqualTo(040700); // private: others cannot put a program of theirs there
    assertThat(buildCount()).isEqualTo(1);

    Object built = Files.getAttribute(helper, "unix:ino");
    assertThat(run(tmpDir)).succeeded();
    assertThat(parent()).isEqualTo("braid-spawn");
    assertThat(buildCount()).isEqualTo(1);
    assertThat(Files.getAttribute(helper, "unix:ino")).isEqualTo(built);
  }

  @Test
  void withNoDirectoryItCanRunFromTheJdkStartsTheTasksWithoutABuildAndVerboseSaysWhy()
      throws Exception {
    Path tmpDir = Files.createDirectories(noexec.resolve("tmp"));

    Cli.Result verbose = run(tmpDir, "--verbose");
    assertThat(verbose)
        .succeeded()
        .printed(
            "braid: tasks are started by the JDK, not braid-spawn: no directory to build it in"
                + " that programs can run from ("
                + noexec.resolve("braid")
                + ", "
                + tmpDir.resolve("braid-"));
    assertThat(parent()).isNotEqualTo("braid-spawn");
    assertThat(buildCount()).isZero();

    Cli.Result quiet = run(tmpDir);
    assertThat(quiet).succeeded();
    assertThat(quiet.out()).doesNotContain("braid-spawn");
    assertThat(buildCount()).isZero();
  }
}
