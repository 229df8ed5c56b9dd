package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid run} on a real pseudo-terminal (util-linux {@code script}), where it shows the live
 * view instead of plain lines.
 */
class LiveViewTest {

  @TempDir Path dir;

  @BeforeEach
  void plan() throws Exception {
    assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script is not installed");
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        tasks:
          - task_id: SLOW
            command: echo working; sleep 0.8; echo still working
        """);
  }

  /** Braid's output on a terminal of that size, with the environment added. */
  private Result onTerminal(String size, Map<String, String> env) throws Exception {
    String braid =
        "exec \"$JAVA\" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp \"$CP\" "
            + Main.class.getName()
            + " run $BRAID_ARGS";
    ProcessBuilder pb =
        new ProcessBuilder(List.of("script", "-qfec", "stty " + size + "; " + braid, "/dev/null"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("CI");
    pb.environment().remove("NO_COLOR");
    pb.environment().put("TERM", "xterm-256color");
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("CP", System.getProperty("java.class.path"));
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  record Result(int exitCode, String out) {}

  @Test
  void noColorLeavesTheLiveViewWithoutColours() throws Exception {
    Result r = onTerminal("rows 24 cols 100", Map.of("NO_COLOR", "1"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).as("the live view's overall bar").contains("1 running, 0 pending");
    assertThat(r.out())
        .as("no colour or faint text")
        .doesNotContainPattern("\u001b\\[[0-9;]*(3[0-7]|9[0-7]|2)m")
        .doesNotContain("\u001b[2m", "\u001b[36m", "\u001b[32m");
  }

  @Test
  void withColoursTheBarsAreColoured() throws Exception {
    Result r = onTerminal("rows 24 cols 100", Map.of());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("1 running, 0 pending").contains("\u001b[2m");
  }

  @Test
  void aDumbTerminalGetsPlainLinesWithoutColours() throws Exception {
    // TERM=dumb (Emacs' shell, some CI log viewers) shows escape sequences as text
    Result r = onTerminal("rows 24 cols 100", Map.of("TERM", "dumb"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("SLOW | working", "ok ").doesNotContain("\u001b");
  }

  @Test
  void aTerminalOfUnknownHeightGetsPlainLines() throws Exception {
    Result r = onTerminal("rows 0 cols 100", Map.of());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("SLOW | working", "SLOW | still working");
  }

  @Test
  void moreBusySlotsThanTheTerminalHasRowsAreSummedUpInOneLine() throws Exception {
    StringBuilder plan = new StringBuilder("tasks:\n");
    for (int i = 0; i < 12; i++) {
      plan.append("  - {task_id: T").append(i).append(", command: 'echo hi; sleep 0.8'}\n");
    }
    Files.writeString(dir.resolve("braid.yaml"), plan);
    Result r = onTerminal("rows 8 cols 80", Map.of("BRAID_ARGS", "-j 12"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .as("six rows of status: four slots, a summary line and the overall bar")
        .contains("[4] T", "more running")
        .containsPattern("… [0-9]+ more running")
        .doesNotContain("[5] T")
        .as("no negative scroll region or cursor row")
        .doesNotContainPattern("\u001b\\[[0-9;]*-");
  }
}
